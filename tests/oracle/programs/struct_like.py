class Rec:
    def __init__(self, name, scores):
        self.name = name
        self.scores = scores

recs = []
for i in range(4):
    recs.append(Rec("r" + str(i), [i] * 3))  #@
best = recs[2]  #@
scores = best.scores  #@
recs = None  #@
