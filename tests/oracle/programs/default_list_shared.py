def log(msg, history=[]):
    history.append(msg)
    return history

h1 = log("a1")  #@
h2 = log("b2")  #@
same = h1  #@
