package io.dpuvirt.daemon;

import io.dpuvirt.rpc.server.KeepalivePolicy;
import io.dpuvirt.rpc.server.ServerConfig;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;

/**
 * How a virtd runs: the socket it listens on (libvirt's own path by default, so that
 * {@code virsh -c qemu:///system} finds it), the socket's permissions (owner only unless told), the root
 * its drivers keep their files under, the URI a client that names none gets, where the guests run, and when a
 * client that asked for keepalive is pinged and given up on (libvirtd's defaults unless told).
 */
public record VirtdConfig(Path socket, Set<PosixFilePermission> socketPermissions, Path root, String defaultUri,
                          GuestHost guestHost, KeepalivePolicy keepalive) {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/libvirt/libvirt-sock");
    public static final Path DEFAULT_ROOT = Path.of("/");
    public static final String DEFAULT_URI = "qemu:///system";

    public VirtdConfig {
        Objects.requireNonNull(socket, "socket");
        socketPermissions = Set.copyOf(socketPermissions);
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(defaultUri, "defaultUri");
        Objects.requireNonNull(guestHost, "guestHost");
        Objects.requireNonNull(keepalive, "keepalive");
    }

    public static VirtdConfig defaults() {
        return new VirtdConfig(DEFAULT_SOCKET, ServerConfig.OWNER_ONLY, DEFAULT_ROOT, DEFAULT_URI, new GuestHost.Local(),
                KeepalivePolicy.LIBVIRT_DEFAULT);
    }

    public VirtdConfig withSocket(Path newSocket) {
        return new VirtdConfig(newSocket, socketPermissions, root, defaultUri, guestHost, keepalive);
    }

    public VirtdConfig withSocketPermissions(Set<PosixFilePermission> permissions) {
        return new VirtdConfig(socket, permissions, root, defaultUri, guestHost, keepalive);
    }

    public VirtdConfig withRoot(Path newRoot) {
        return new VirtdConfig(socket, socketPermissions, newRoot, defaultUri, guestHost, keepalive);
    }

    public VirtdConfig withDefaultUri(String uri) {
        return new VirtdConfig(socket, socketPermissions, root, uri, guestHost, keepalive);
    }

    public VirtdConfig withGuestHost(GuestHost where) {
        return new VirtdConfig(socket, socketPermissions, root, defaultUri, where, keepalive);
    }

    public VirtdConfig withKeepalive(KeepalivePolicy policy) {
        return new VirtdConfig(socket, socketPermissions, root, defaultUri, guestHost, policy);
    }
}
