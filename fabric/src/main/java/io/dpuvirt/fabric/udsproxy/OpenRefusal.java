package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Errno;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Why the serving side did not connect a stream: an errno and a sentence, carried by OPEN_ERROR. */
record OpenRefusal(int errno, String reason) {
    private static final int MAX_REASON = 1000;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(errno);
            out.writeUTF(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static OpenRefusal decode(byte[] payload) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            return new OpenRefusal(in.readInt(), in.readUTF());
        } catch (IOException e) {
            return new OpenRefusal(Errno.EIO, "no reason given");
        }
    }

    @Override
    public String toString() {
        return reason + " [" + Errno.name(errno) + "]";
    }
}
