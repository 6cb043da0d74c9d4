def add(item, bucket=None):
    if bucket is None:
        bucket = []
    bucket.append(item)
    return bucket

first = add(1)  #@
second = add(2)  #@
