big = [0] * 100000  #@
alias = big
del big  #@
alias = 0  #@
