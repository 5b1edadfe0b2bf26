package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;

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

    /** The refusal as the error of a connect() to {@code path} through the udsproxyd named {@code by}. */
    LinuxException asConnectError(String path, String by) {
        return new LinuxException("connect", path + " via " + by + ", which says: " + reason, errno);
    }

    @Override
    public String toString() {
        return reason + " [" + Errno.name(errno) + "]";
    }
}
