#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal of 40x120, as a terminal emulator would, for rexec -t tests.

  ptyrun.py [--interrupt] COMMAND...

Prints everything the command writes. Once the output contains 'ready', resizes the terminal to 50x132 (the kernel
then sends SIGWINCH to the command), or with --interrupt types ^C instead. Exits with the command's status.
"""
import fcntl
import os
import select
import struct
import sys
import termios


def set_size(fd, rows, columns):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def main():
    interrupt = sys.argv[1] == "--interrupt"
    command = sys.argv[2:] if interrupt else sys.argv[1:]
    master, slave = os.openpty()
    set_size(master, 40, 120)
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.execvp(command[0], command)
    os.close(slave)
    seen = b""
    acted = False
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break  # EIO: every process closed the terminal
        if not data:
            break
        seen += data
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        if not acted and b"ready" in seen:
            acted = True
            if interrupt:
                os.write(master, b"\x03")
            else:
                set_size(master, 50, 132)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


main()
