orig = [[1], [2]]
alias = orig  #@
shallow = orig[:]  #@
inner = orig[0]  #@
orig.append([3])  #@
