class M:
    def go(self, item, extra=None):
        keep = item  #@
        return 0

m = M()
data = [1]
m.go(data, extra=data)  #@
