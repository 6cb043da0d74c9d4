parts = ["alpha", "beta", "gamma"]
joined = ", ".join(parts)  #@
single = "".join(["only"])  #@
