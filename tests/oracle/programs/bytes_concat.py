head = b"GET "
req = head + b"/index.html"  #@
empty = head + b""  #@
