n = 42
label = f"value={n}"  #@
same = f"{label}"  #@
