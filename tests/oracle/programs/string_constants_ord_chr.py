import string
from string import ascii_uppercase

letters = string.ascii_letters  #@
upper = ascii_uppercase  #@
n = ord("A")  #@
big = ord("é") + ord("€")  #@
c = chr(65)  #@
d = chr(8364)  #@
table = {ch: i for i, ch in enumerate(ascii_uppercase)}  #@
shifted = "".join(chr(ord(ch) + 1) for ch in "HAL")  #@
digits = [ch for ch in string.digits if ch in "13579"]  #@
