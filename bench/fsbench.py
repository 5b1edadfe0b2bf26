#!/usr/bin/env python3
"""Small-file workloads for bench/rfs, on one directory: prints operations per second.

  files DIR N     create N files of 100 bytes, drop the caches, stat them all, list the directory, unlink them all;
                  prints "create stat readdir unlink" rates (readdir: entries per second of one full listing)
"""
import os
import sys
import time


def drop_caches():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3")


def rate(count, started):
    return "%.0f" % (count / (time.perf_counter() - started))


def files(directory, n):
    os.makedirs(directory, exist_ok=True)
    names = [os.path.join(directory, "f%05d" % i) for i in range(n)]
    payload = b"x" * 100
    started = time.perf_counter()
    for name in names:
        with open(name, "wb") as f:
            f.write(payload)
    create = rate(n, started)
    drop_caches()
    started = time.perf_counter()
    for name in names:
        os.stat(name)
    stat = rate(n, started)
    drop_caches()
    started = time.perf_counter()
    listed = len(os.listdir(directory))
    readdir = rate(listed, started)
    started = time.perf_counter()
    for name in names:
        os.unlink(name)
    unlink = rate(n, started)
    print(create, stat, readdir, unlink)


if __name__ == "__main__":
    if sys.argv[1] == "files":
        files(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
