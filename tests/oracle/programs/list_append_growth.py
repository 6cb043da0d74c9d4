nums = []  #@
for i in range(20):
    nums.append(i * 1000)  #@
total = len(nums)  #@
