package io.dpuvirt.fabric.link;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;

import java.time.Duration;

/**
 * How the two sides reach each other: vsock in production (the DPU and its HOST share a virtio vsock device),
 * TCP in test mode. Either way every connection is authenticated by {@link Handshake} before use.
 */
public sealed interface Transport permits Transport.Tcp, Transport.Vsock {
    int BACKLOG = 1024;
    String VSOCK_PREFIX = "vsock:";

    SockAddr local();

    SockAddr peer();

    /** Socket options that suit link connections on this transport. */
    void tune(NativeSocket socket) throws LinuxException;

    default NativeSocket listen() throws LinuxException {
        return NativeSocket.listen(local(), SocketType.STREAM, BACKLOG);
    }

    default NativeSocket dial(Duration timeout) throws LinuxException {
        NativeSocket socket = NativeSocket.connect(peer(), SocketType.STREAM, timeout);
        try {
            tune(socket);
            return socket;
        } catch (LinuxException e) {
            socket.close();
            throw e;
        }
    }

    /** The original's positional arguments: addresses are IPv4 literals, or vsock CIDs with {@code vsock}. */
    static Transport of(boolean vsock, String address, String port, String peerAddress, String peerPort) {
        int localPort = port(port);
        int remotePort = port(peerPort);
        if (vsock) {
            return new Vsock(new SockAddr.Vsock(cid(address), localPort), new SockAddr.Vsock(cid(peerAddress), remotePort));
        }
        return new Tcp(SockAddr.Inet.of(address, localPort), SockAddr.Inet.of(peerAddress, remotePort));
    }

    /**
     * The peer alone, for a side that only dials (its local address is never bound): {@code ADDR:PORT}, an IPv4
     * literal over TCP (test mode), or {@code vsock:CID:PORT}.
     */
    static Transport toPeer(String address) {
        boolean vsock = address.startsWith(VSOCK_PREFIX);
        String rest = vsock ? address.substring(VSOCK_PREFIX.length()) : address;
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + address + "' is not ADDR:PORT or vsock:CID:PORT");
        }
        int port = port(rest.substring(colon + 1));
        String host = rest.substring(0, colon);
        if (vsock) {
            return new Vsock(new SockAddr.Vsock(SockAddr.Vsock.CID_ANY, SockAddr.Vsock.PORT_ANY), new SockAddr.Vsock(cid(host), port));
        }
        return new Tcp(SockAddr.Inet.of("0.0.0.0", 0), SockAddr.Inet.of(host, port));
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1024 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range 1024-65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number: '" + text + "'");
        }
    }

    private static int cid(String text) {
        try {
            long cid = Long.parseLong(text);
            if (cid < 0 || cid > 0xffffffffL) {
                throw new IllegalArgumentException("vsock CID out of range: " + text);
            }
            return (int) cid;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a vsock CID (a number): '" + text + "'");
        }
    }

    /** Test mode: TCP with NODELAY (no 40 ms delayed-ACK stalls) and keepalive (a vanished peer is noticed). */
    record Tcp(SockAddr.Inet local, SockAddr.Inet peer) implements Transport {
        @Override
        public void tune(NativeSocket socket) throws LinuxException {
            socket.setTcpNoDelay();
            socket.enableTcpKeepalive(5);
            // buffer sizes are left to the kernel's autotuning, which grows them past what SO_SNDBUF could set
        }
    }

    /** Production: AF_VSOCK, with the per-connection buffer raised from 256 KiB to 2 MiB for throughput. */
    record Vsock(SockAddr.Vsock local, SockAddr.Vsock peer) implements Transport {
        private static final int AF_VSOCK_LEVEL = 40, SO_VM_SOCKETS_BUFFER_SIZE = 0, SO_VM_SOCKETS_BUFFER_MAX_SIZE = 2;
        private static final long BUFFER = 2L << 20;

        @Override
        public void tune(NativeSocket socket) throws LinuxException {
            socket.setLongOption(AF_VSOCK_LEVEL, SO_VM_SOCKETS_BUFFER_MAX_SIZE, BUFFER);
            socket.setLongOption(AF_VSOCK_LEVEL, SO_VM_SOCKETS_BUFFER_SIZE, BUFFER);
        }
    }
}
