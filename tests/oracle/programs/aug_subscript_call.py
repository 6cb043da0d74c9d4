def bump(v):
    seen = v  #@
    return 1000

nums = [1000, 2000]
idx = 1
nums[idx] += bump(nums)  #@
