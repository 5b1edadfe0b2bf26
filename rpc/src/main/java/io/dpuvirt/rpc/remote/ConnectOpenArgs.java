package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.Optional;

/**
 * {@code remote_connect_open_args}: the URI with transport and {@code socket=} stripped
 * ({@code qemu+unix:///system?socket=/x} arrives as {@code qemu:///system}); "" when the client has
 * none. {@code flags} bit 1 asks for a read-only connection.
 */
public record ConnectOpenArgs(Optional<String> name, int flags) implements XdrWritable {
    public static final int READ_ONLY = 1;

    public boolean readOnly() {
        return (flags & READ_ONLY) != 0;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOptional(name, (o, s) -> o.writeString(s, RemoteProgram.STRING_MAX));
        out.writeUnsignedInt(flags);
    }

    public static ConnectOpenArgs decode(XdrDecoder in) {
        return new ConnectOpenArgs(in.readOptional(d -> d.readString(RemoteProgram.STRING_MAX)), in.readUnsignedInt());
    }
}
