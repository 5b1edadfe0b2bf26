package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code remote_node_get_info_ret}. Its {@code char model[32]} is 32 four-byte units, 128 bytes on
 * the wire; the model must leave room for its NUL (31 bytes at most). Memory is in KiB, mhz in MHz.
 */
public record NodeGetInfoRet(String model, long memoryKiB, int cpus, int mhz, int nodes, int sockets, int cores,
                             int threads) implements XdrWritable {
    public NodeGetInfoRet {
        CStrings.requireFits(model, RemoteProgram.NODE_INFO_MODEL_LENGTH, "CPU model");
    }

    @Override
    public void encode(XdrEncoder out) {
        CStrings.writeFixed(out, model, RemoteProgram.NODE_INFO_MODEL_LENGTH);
        out.writeUnsignedHyper(memoryKiB);
        out.writeInt(cpus).writeInt(mhz).writeInt(nodes).writeInt(sockets).writeInt(cores).writeInt(threads);
    }

    public static NodeGetInfoRet decode(XdrDecoder in) {
        return new NodeGetInfoRet(CStrings.readFixed(in, RemoteProgram.NODE_INFO_MODEL_LENGTH), in.readUnsignedHyper(),
                in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
    }
}
