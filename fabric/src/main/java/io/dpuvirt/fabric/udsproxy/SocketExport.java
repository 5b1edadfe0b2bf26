package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.SocketType;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A listening socket one side offers to the other: its path as the server bound it, its type, and the file's
 * mode and owner, so that the mirror on the other side enforces the same permissions on connect().
 */
public record SocketExport(String path, SocketType type, int mode, int uid, int gid) implements Comparable<SocketExport> {
    void writeTo(DataOutputStream out) throws IOException {
        out.writeUTF(path);
        out.writeByte(type.code());
        out.writeInt(mode);
        out.writeInt(uid);
        out.writeInt(gid);
    }

    static SocketExport readFrom(DataInputStream in) throws IOException {
        String path = in.readUTF();
        SocketType type = SocketType.ofCode(in.readUnsignedByte());
        if (type == null || !path.startsWith("/")) {
            throw new IOException("malformed socket export '" + path + "'");
        }
        return new SocketExport(path, type, in.readInt() & 07777, in.readInt(), in.readInt());
    }

    @Override
    public int compareTo(SocketExport other) {
        return path.compareTo(other.path);
    }
}
