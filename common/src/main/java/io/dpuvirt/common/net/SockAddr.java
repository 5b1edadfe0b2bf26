package io.dpuvirt.common.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A socket address in the three families dpuvirt speaks: unix paths, IPv4 (test mode) and vsock (production). */
public sealed interface SockAddr permits SockAddr.Unix, SockAddr.Inet, SockAddr.Vsock {
    int AF_UNIX = 1;
    int AF_INET = 2;
    int AF_VSOCK = 40;

    int family();

    /** The kernel's sockaddr for this address, allocated in {@code arena}. */
    MemorySegment encode(Arena arena);

    /** A filesystem unix socket path (no abstract names: they cannot be whitelisted by path). */
    record Unix(String path) implements SockAddr {
        /** sun_path is 108 bytes including the terminating NUL. */
        public static final int MAX_PATH_BYTES = 107;

        public Unix {
            byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0 || bytes.length > MAX_PATH_BYTES) {
                throw new IllegalArgumentException("unix socket path must have 1 to " + MAX_PATH_BYTES
                        + " bytes, has " + bytes.length + ": " + path);
            }
        }

        @Override
        public int family() {
            return AF_UNIX;
        }

        @Override
        public MemorySegment encode(Arena arena) {
            byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
            MemorySegment sa = arena.allocate(2 + bytes.length + 1);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(bytes, 0, sa, ValueLayout.JAVA_BYTE, 2, bytes.length);
            return sa;
        }

        @Override
        public String toString() {
            return path;
        }
    }

    record Inet(Inet4Address address, int port) implements SockAddr {
        public Inet {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range 0-65535: " + port);
            }
        }

        /** sin_port, in network order (a constant: a layout made at each use computes its var handle again). */
        private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

        /**
         * Parses a dotted IPv4 literal, four decimal numbers 0–255 without leading zeros (which inet_aton would read
         * as octal). No name lookups: addresses in dpuvirt's configuration are literal.
         */
        public static Inet of(String literal, int port) {
            String[] parts = literal.split("\\.", -1);
            byte[] octets = new byte[4];
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: " + literal);
            }
            for (int i = 0; i < 4; i++) {
                if (!parts[i].matches("0|[1-9]\\d{0,2}") || Integer.parseInt(parts[i]) > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: " + literal);
                }
                octets[i] = (byte) Integer.parseInt(parts[i]);
            }
            try {
                return new Inet((Inet4Address) InetAddress.getByAddress(octets), port);
            } catch (UnknownHostException e) {
                throw new AssertionError("four bytes are an IPv4 address", e);
            }
        }

        @Override
        public int family() {
            return AF_INET;
        }

        @Override
        public MemorySegment encode(Arena arena) {
            MemorySegment sa = arena.allocate(16);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            sa.set(PORT, 2, (short) port);
            MemorySegment.copy(address.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
            return sa;
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    /** An AF_VSOCK address: context id and port. */
    record Vsock(int cid, int port) implements SockAddr {
        public static final int CID_ANY = -1;
        public static final int PORT_ANY = -1;

        @Override
        public int family() {
            return AF_VSOCK;
        }

        @Override
        public MemorySegment encode(Arena arena) {
            MemorySegment sa = arena.allocate(16);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_VSOCK);
            sa.set(ValueLayout.JAVA_INT, 4, port);
            sa.set(ValueLayout.JAVA_INT, 8, cid);
            return sa;
        }

        @Override
        public String toString() {
            return "vsock:" + Integer.toUnsignedString(cid) + ":" + port;
        }
    }
}
