import sys

big = sys.maxsize  #@
dist = [sys.maxsize] * 4  #@
dist[0] = 0
closer = dist[1] > 5  #@
total = sys.maxsize - 1  #@
