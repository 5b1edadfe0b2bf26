package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.remote.Procedure;
import io.dpuvirt.rpc.remote.RemoteCall;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.ErrorDomain;
import io.dpuvirt.rpc.xdr.XdrException;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link ProcedureHandler} made of one typed implementation per procedure. It decodes the args with
 * the procedure's record type (refusing trailing bytes) and answers procedures without an
 * implementation with VIR_ERR_NO_SUPPORT.
 *
 * <pre>{@code
 * ProcedureTable table = ProcedureTable.builder()
 *         .on(RemoteCalls.GET_HOSTNAME, (args, call) -> new StringValue("node1"))
 *         .build();
 * }</pre>
 */
public final class ProcedureTable implements ProcedureHandler {
    /** The implementation of one procedure. */
    @FunctionalInterface
    public interface Implementation<A extends XdrWritable, R extends XdrWritable> {
        R apply(A args, RpcCall call) throws RpcError;
    }

    private final Map<Integer, Entry<?, ?>> entries;

    private ProcedureTable(Map<Integer, Entry<?, ?>> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public XdrWritable handle(RpcCall call) throws RpcError {
        int number = call.header().procedure();
        Entry<?, ?> entry = entries.get(number);
        if (entry == null) {
            throw RpcError.noSupport(Procedure.of(number).map(Enum::name).orElse("procedure " + number));
        }
        return entry.invoke(call);
    }

    public static final class Builder {
        private final Map<Integer, Entry<?, ?>> entries = new HashMap<>();

        private Builder() {
        }

        public <A extends XdrWritable, R extends XdrWritable> Builder on(RemoteCall<A, R> signature,
                                                                           Implementation<A, R> implementation) {
            Entry<?, ?> previous = entries.putIfAbsent(signature.procedure().number(),
                    new Entry<>(signature, implementation));
            if (previous != null) {
                throw new IllegalArgumentException(signature.procedure() + " is implemented twice");
            }
            return this;
        }

        public ProcedureTable build() {
            return new ProcedureTable(entries);
        }
    }

    private record Entry<A extends XdrWritable, R extends XdrWritable>(RemoteCall<A, R> signature,
                                                                         Implementation<A, R> implementation) {
        XdrWritable invoke(RpcCall call) throws RpcError {
            A args;
            try {
                args = signature.args().read(call.args());
                call.args().expectEnd();
            } catch (XdrException e) {
                throw new RpcError(ErrorCode.RPC, ErrorDomain.RPC,
                        "cannot decode the arguments of " + signature.procedure() + ": " + e.getMessage(), e);
            }
            return implementation.apply(args, call);
        }
    }
}
