word = "python"
loud = word.upper()  #@
