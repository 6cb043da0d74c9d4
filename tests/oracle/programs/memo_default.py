def fib(n, memo={}):
    if n in memo:
        return memo[n]
    if n < 2:
        return n
    r = fib(n - 1) + fib(n - 2)
    memo[n] = r
    return r

v = fib(20)  #@
w = fib(25)  #@
