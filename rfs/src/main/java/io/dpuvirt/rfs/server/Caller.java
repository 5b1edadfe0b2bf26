package io.dpuvirt.rfs.server;

/** Who asked, on the DPU: new nodes are given to this user and group, as a local create would. */
record Caller(int uid, int gid) {
    boolean isRoot() {
        return uid == 0 && gid == 0;
    }
}
