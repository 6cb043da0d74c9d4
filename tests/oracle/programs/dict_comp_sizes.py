sq = {i: i * i for i in range(8)}  #@
names = {str(i): i for i in range(7)}  #@
