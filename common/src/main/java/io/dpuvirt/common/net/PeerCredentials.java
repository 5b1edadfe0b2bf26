package io.dpuvirt.common.net;

/** SO_PEERCRED of a connected unix socket: who is at the other end. */
public record PeerCredentials(int pid, int uid, int gid) {
}
