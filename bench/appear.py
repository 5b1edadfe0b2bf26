#!/usr/bin/env python3
"""How long a socket bound on one side takes to be reachable on the other.

  appear.py bind PATH        (HOST) bind+listen at PATH (making its missing directories first, as qemu's run
                             directory is made just before qemu binds its monitor), print the time.time() of
                             listen(), serve one connection
  appear.py poll PATH        (DPU)  connect to PATH until it works, print the time.time() it first did
Both sides share the machine's clock in the test bed, so the difference is the appearance latency.
"""
import os
import random
import socket
import sys
import time

mode, path = sys.argv[1], sys.argv[2]
if mode == "bind":
    time.sleep(random.random() * 0.05)  # out of step with any periodic scan on either side, whatever a trial lasts
    os.makedirs(os.path.dirname(path), exist_ok=True)
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen()
    print("%.6f" % time.time(), flush=True)
    c, _ = s.accept()
    c.close()
    s.close()
    os.unlink(path)
else:
    while True:
        c = socket.socket(socket.AF_UNIX)
        try:
            c.connect(path)
            print("%.6f" % time.time())
            break
        except OSError:
            time.sleep(0.001)
        finally:
            c.close()
