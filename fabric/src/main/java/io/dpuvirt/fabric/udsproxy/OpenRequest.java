package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.PeerCredentials;
import io.dpuvirt.common.net.SocketType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the mirroring side asks of the serving side for one client: connect to {@code path} with {@code type}.
 * The client's credentials travel along for the serving side's log (its server sees udsproxyd as the peer).
 */
record OpenRequest(String path, SocketType type, PeerCredentials client) {
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(path);
            out.writeByte(type.code());
            out.writeInt(client.pid());
            out.writeInt(client.uid());
            out.writeInt(client.gid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static OpenRequest decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        String path = in.readUTF();
        SocketType type = SocketType.ofCode(in.readUnsignedByte());
        if (type == null) {
            throw new IOException("open request for " + path + " names an unknown socket type");
        }
        return new OpenRequest(path, type, new PeerCredentials(in.readInt(), in.readInt(), in.readInt()));
    }

    String describeClient() {
        return "client pid " + client.pid() + " uid " + client.uid() + " gid " + client.gid();
    }
}
