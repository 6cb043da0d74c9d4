def scale(values, /, factor=2, *, out=None, log=[]):
    result = [v * factor for v in values]  #@
    log.append(result)
    return result


nums = [1, 2, 3]
r = scale(nums, out=nums)  #@
r2 = scale(nums, 3)  #@
