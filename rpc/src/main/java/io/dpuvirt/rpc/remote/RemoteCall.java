package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrReader;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * The typed signature of one REMOTE procedure: its number and how to decode its args and its ret.
 * Servers register implementations against it and clients call through it, so neither side can pair a
 * procedure with the wrong structure.
 */
public record RemoteCall<A extends XdrWritable, R extends XdrWritable>(Procedure procedure, XdrReader<A> args,
                                                                      XdrReader<R> ret) {
    public static <A extends XdrWritable, R extends XdrWritable> RemoteCall<A, R> of(
            Procedure procedure, XdrReader<A> args, XdrReader<R> ret) {
        return new RemoteCall<>(procedure, args, ret);
    }
}
