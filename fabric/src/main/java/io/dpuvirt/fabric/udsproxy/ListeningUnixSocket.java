package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.SocketType;

/** A unix socket some process on this machine listens on, as /proc/net/unix lists it. */
public record ListeningUnixSocket(String path, SocketType type, long inode) {
}
