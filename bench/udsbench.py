#!/usr/bin/env python3
"""Unix-socket workloads for bench/udsproxy: one server, three client measurements.

  udsbench.py server PATH                  echo server: echoes every connection; 'S' + length streams are sunk
  udsbench.py stream PATH MIB              send MIB MiB in 1 MiB writes, wait for the server's count: MiB/s
  udsbench.py pingpong PATH COUNT          64-byte round trips on one connection: median and p99 in us
  udsbench.py connect PATH SECONDS         connect + 64-byte ping + close, repeatedly: connections per second
The same client runs against a direct socket, the proxy pair and the socat chain, so only the path differs.
"""
import os
import socket
import statistics
import struct
import sys
import threading
import time

CHUNK = 1 << 20


def serve(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1024)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def handle(conn):
    with conn:
        first = conn.recv(1)
        if not first:
            return
        if first == b"S":  # sink: count bytes until EOF, answer with the count
            total = 0
            buf = bytearray(CHUNK)
            view = memoryview(buf)
            while True:
                n = conn.recv_into(view)
                if n == 0:
                    break
                total += n
            conn.sendall(struct.pack("!Q", total))
            return
        conn.sendall(first)
        while True:
            data = conn.recv(65536)
            if not data:
                return
            conn.sendall(data)


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def stream(path, mib):
    payload = b"x" * CHUNK
    s = connect(path)
    start = time.perf_counter()
    s.sendall(b"S")
    for _ in range(mib):
        s.sendall(payload)
    s.shutdown(socket.SHUT_WR)
    total = struct.unpack("!Q", recv_exact(s, 8))[0]
    elapsed = time.perf_counter() - start
    s.close()
    if total != mib * CHUNK:
        raise SystemExit("server counted %d bytes, sent %d" % (total, mib * CHUNK))
    print("%.0f" % (mib / elapsed))


def pingpong(path, count):
    s = connect(path)
    message = b"p" * 64
    times = []
    for i in range(count + 100):
        start = time.perf_counter()
        s.sendall(message)
        recv_exact(s, 64)
        if i >= 100:  # warm-up excluded
            times.append((time.perf_counter() - start) * 1e6)
    s.close()
    times.sort()
    print("%.1f %.1f" % (statistics.median(times), times[int(len(times) * 0.99)]))


def connects(path, seconds):
    message = b"c" * 64
    done = 0
    end = time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < end:
        s = connect(path)
        s.sendall(message)
        recv_exact(s, 64)
        s.close()
        done += 1
    print("%.0f" % (done / (time.perf_counter() - start)))


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "server":
        serve(path)
    elif mode == "stream":
        stream(path, int(sys.argv[3]))
    elif mode == "pingpong":
        pingpong(path, int(sys.argv[3]))
    elif mode == "connect":
        connects(path, float(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
