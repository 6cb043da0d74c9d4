def main():
    data = [1, 2, 3]
    out = data  #@
    return len(out)

if __name__ == "__main__":
    res = main()  #@
