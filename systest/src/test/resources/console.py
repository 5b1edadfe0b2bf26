#!/usr/bin/env python3
"""Runs a console client (virsh console) on a pseudo-terminal until the guest prints a line, as a person would watch.

  console.py [--timeout S] [--when TEXT --run SHELL-COMMAND] --expect TEXT -- COMMAND...

Prints everything the command writes. Once the output contains the --when text (e.g. "Escape character"), runs the
--run shell command once (e.g. virsh resume, so that the guest starts only once the console is attached). Once it
contains the --expect text, types Ctrl-] (virsh's escape) and exits with the command's status; 3 if the text did
not come within the timeout (the command is then killed).
"""
import argparse
import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--when")
    parser.add_argument("--run")
    parser.add_argument("--expect", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command and args.command[0] == "--" else args.command
    master, slave = os.openpty()
    def controlling_terminal():  # in the child: a session of its own whose terminal is the pty, as a login has
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, preexec_fn=controlling_terminal)
    os.close(slave)
    seen = b""
    ran = args.when is None
    deadline = time.monotonic() + args.timeout
    found = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break  # EIO: the command closed the terminal
            if not data:
                break
            seen += data
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        if not ran and args.when.encode() in seen:
            ran = True
            subprocess.run(args.run, shell=True, check=False)
        if args.expect.encode() in seen:
            found = True
            os.write(master, b"\x1d")
            break
        if child.poll() is not None and not ready:
            break
    try:
        status = child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        status = child.wait()
    return status if found else 3


if __name__ == "__main__":
    sys.exit(main())
