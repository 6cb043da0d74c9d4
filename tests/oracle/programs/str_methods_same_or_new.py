raw = "  hello world  " + str(len([1]))
clean = raw.strip()  #@
same = clean.strip()  #@
swapped = clean.replace("world", "there")  #@
unchanged = swapped.replace("zzz", "y")  #@
left = raw.lstrip()  #@
right = raw.rstrip()  #@
