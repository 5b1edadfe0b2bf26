package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.PeerCredentials;
import io.dpuvirt.common.net.SocketType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * What the mirroring side asks of the serving side for one client: connect to {@code path} with {@code type}.
 * The client's credentials travel along for the serving side's log (its server sees udsproxyd as the peer). With
 * the flag {@link UdsFrame#AWAIT}, {@code await} is how long the serving side may wait for the socket to appear
 * (the field is left out of requests that do not wait).
 */
record OpenRequest(String path, SocketType type, PeerCredentials client, Duration await) {
    OpenRequest(String path, SocketType type, PeerCredentials client) {
        this(path, type, client, Duration.ZERO);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(path);
            out.writeByte(type.code());
            out.writeInt(client.pid());
            out.writeInt(client.uid());
            out.writeInt(client.gid());
            if (!await.isZero()) {
                out.writeInt((int) Math.min(Integer.MAX_VALUE, await.toMillis()));
            }
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
        PeerCredentials client = new PeerCredentials(in.readInt(), in.readInt(), in.readInt());
        Duration await = in.available() >= Integer.BYTES ? Duration.ofMillis(Math.max(0, in.readInt())) : Duration.ZERO;
        return new OpenRequest(path, type, client, await);
    }

    String describeClient() {
        return "client pid " + client.pid() + " uid " + client.uid() + " gid " + client.gid();
    }
}
