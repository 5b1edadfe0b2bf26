package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.remote.AuthType;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how an {@link RpcServer} listens: the socket path, the socket file's permissions (0600
 * unless said otherwise: only the owner may connect), the authentication AUTH_LIST announces, and when clients
 * that asked for keepalive are pinged and given up on (libvirtd's defaults unless said otherwise).
 */
public record ServerConfig(Path socketPath, Set<PosixFilePermission> socketPermissions, AuthType auth,
                           KeepalivePolicy keepalive) {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public ServerConfig {
        socketPermissions = Set.copyOf(socketPermissions);
        Objects.requireNonNull(keepalive, "keepalive");
    }

    public static ServerConfig at(Path socketPath) {
        return new ServerConfig(socketPath, OWNER_ONLY, AuthType.NONE, KeepalivePolicy.LIBVIRT_DEFAULT);
    }

    public ServerConfig withPermissions(Set<PosixFilePermission> permissions) {
        return new ServerConfig(socketPath, permissions, auth, keepalive);
    }

    public ServerConfig withAuth(AuthType authType) {
        return new ServerConfig(socketPath, socketPermissions, authType, keepalive);
    }

    public ServerConfig withKeepalive(KeepalivePolicy policy) {
        return new ServerConfig(socketPath, socketPermissions, auth, policy);
    }
}
