#!/usr/bin/env python3
"""Plain unix-socket programs for dpuvirt's system tests: they know nothing of dpuvirt.

  echo-server PATH [stream|seqpacket]   echo every connection (prints 'ready' once listening)
  count-server PATH                     read until EOF, answer 'got N bytes', close (half-close check)
  fd-server PATH                        receive one message with a descriptor; answer with the data read from it
  send PATH TEXT [stream|seqpacket]     send TEXT, half-close, print everything received until EOF
  messages PATH M1 M2...                seqpacket: send each message, print each answer on its own line
  send-fd PATH FILE OFFSET              open FILE, seek to OFFSET, pass it with one byte, print the answer
  send-pipe-fd PATH                     pass a pipe descriptor; print the answer (empty when refused)
  concurrent PATH N SIZE                N connections at once, each sends SIZE random bytes and checks the echo
  hold PATH                             connect and wait for EOF from the server; print 'eof'
  flood-server PATH SIZE                for every connection: send SIZE bytes and half-close while reading until EOF,
                                        slowly (64 KiB a millisecond)
  flood PATH SIZE                       the same as a client; print 'sent N received M'
"""
import array
import asyncio
import os
import socket
import sys

TYPES = {"stream": socket.SOCK_STREAM, "seqpacket": socket.SOCK_SEQPACKET}


def listen(path, kind=socket.SOCK_STREAM):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, kind)
    s.bind(path)
    s.listen(4096)
    print("ready", flush=True)
    return s


def serve_forever(listener, handler):
    import threading
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


def echo(conn):
    with conn:
        while True:
            data = conn.recv(1 << 20)
            if not data:
                return
            conn.sendall(data)


def count(conn):
    with conn:
        total = 0
        while True:
            data = conn.recv(65536)
            if not data:
                break
            total += len(data)
        conn.sendall(b"got %d bytes" % total)


def fd_receiver(conn):
    with conn:
        fds = array.array("i")
        msg, ancdata, flags, _ = conn.recvmsg(16, socket.CMSG_LEN(4 * fds.itemsize))
        for level, kind, data in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
        if not fds:
            conn.sendall(b"no descriptor")
            return
        with os.fdopen(fds[0], "rb") as f:
            conn.sendall(b"read: " + f.read())


def flood(conn, size, slowly=False):
    """Sends size bytes (then half-closes) on one thread while reading until EOF on another (slowly: 64 KiB a
    millisecond): fine on a direct connection, it stalls on a path that cannot carry both directions at once."""
    import threading
    import time

    def send():
        chunk = b"f" * (1 << 20)
        left = size
        while left > 0:
            conn.sendall(chunk[:min(left, len(chunk))])
            left -= min(left, len(chunk))
        conn.shutdown(socket.SHUT_WR)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    received = 0
    while True:
        data = conn.recv(64 * 1024 if slowly else 1 << 20)
        if not data:
            break
        received += len(data)
        if slowly:
            time.sleep(0.001)
    sender.join()
    return received


def connect(path, kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_UNIX, kind)
    s.connect(path)
    return s


def read_all(s):
    out = b""
    while True:
        data = s.recv(65536)
        if not data:
            return out
        out += data


async def one_stream(path, size, index):
    reader, writer = await asyncio.open_unix_connection(path)
    payload = os.urandom(size)
    writer.write(payload)
    await writer.drain()
    got = await reader.readexactly(size)
    writer.close()
    await writer.wait_closed()
    if got != payload:
        raise AssertionError("stream %d: echo differs" % index)


async def concurrent(path, n, size):
    results = await asyncio.gather(*(one_stream(path, size, i) for i in range(n)), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    print("ok %d failed %d" % (n - len(failures), len(failures)))
    for failure in failures[:5]:
        print("failure: %r" % (failure,))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "echo-server":
        kind = TYPES[sys.argv[3] if len(sys.argv) > 3 else "stream"]
        serve_forever(listen(path, kind), echo)
    elif mode == "count-server":
        serve_forever(listen(path), count)
    elif mode == "fd-server":
        serve_forever(listen(path), fd_receiver)
    elif mode == "send":
        kind = TYPES[sys.argv[4] if len(sys.argv) > 4 else "stream"]
        s = connect(path, kind)
        s.sendall(sys.argv[3].encode())
        s.shutdown(socket.SHUT_WR)
        sys.stdout.write(read_all(s).decode())
    elif mode == "messages":
        s = connect(path, socket.SOCK_SEQPACKET)
        for message in sys.argv[3:]:
            s.send(message.encode())
            print(s.recv(65536).decode())
    elif mode in ("send-fd", "send-pipe-fd"):
        s = connect(path)
        if mode == "send-fd":
            fd = os.open(sys.argv[3], os.O_RDONLY)
            os.lseek(fd, int(sys.argv[4]), os.SEEK_SET)
        else:
            fd, _ = os.pipe()
        s.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))])
        try:
            sys.stdout.write(read_all(s).decode())
        except ConnectionResetError:
            pass
    elif mode == "concurrent":
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        asyncio.run(concurrent(path, int(sys.argv[3]), int(sys.argv[4])))
    elif mode == "flood-server":
        size = int(sys.argv[3])
        serve_forever(listen(path), lambda conn: (flood(conn, size, slowly=True), conn.close()))
    elif mode == "flood":
        s = connect(path)
        size = int(sys.argv[3])
        print("sent %d received %d" % (size, flood(s, size)))
    elif mode == "hold":
        s = connect(path)
        read_all(s)
        print("eof")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
