name = "world"
greeting = "hello " + name  #@
longer = greeting + "!"  #@
same = greeting  #@
