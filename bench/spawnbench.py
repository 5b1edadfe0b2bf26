#!/usr/bin/env python3
"""Timing helper for bench/rexec: prints 'median p90' in milliseconds, or MiB/s.

  spawnbench.py run N COMMAND...      N runs of COMMAND (stdin /dev/null, output discarded), wall time each
  spawnbench.py spawn N PROGRAM       N posix_spawn + waitpid of PROGRAM in this process: local fork-exec
  spawnbench.py throughput MIB COMMAND...   one run of COMMAND that writes MIB MiB to /dev/null: MiB/s
"""
import os
import statistics
import subprocess
import sys
import time


def report(samples):
    samples.sort()
    print("%.2f %.2f" % (statistics.median(samples) * 1000, samples[int(len(samples) * 0.9)] * 1000))


def run(count, command):
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        status = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        samples.append(time.perf_counter() - start)
        if status != 0:
            sys.exit("%s exited with %d" % (" ".join(command), status))
    report(samples)


def spawn(count, program):
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        pid = os.posix_spawn(program, [program], os.environ)
        os.waitpid(pid, 0)
        samples.append(time.perf_counter() - start)
    report(samples)


def throughput(mib, command):
    start = time.perf_counter()
    status = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL).returncode
    if status != 0:
        sys.exit("%s exited with %d" % (" ".join(command), status))
    print("%.0f" % (mib / (time.perf_counter() - start)))


mode, amount, rest = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
{"run": lambda: run(amount, rest), "spawn": lambda: spawn(amount, rest[0]),
 "throughput": lambda: throughput(amount, rest)}[mode]()
