package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code remote_domain_get_job_info_ret}: a {@code virDomainJobType} and eleven unsigned hypers,
 * times in ms and sizes in bytes; type 0 (VIR_DOMAIN_JOB_NONE) with all zeros means no job.
 */
public record DomainGetJobInfoRet(int type, long timeElapsed, long timeRemaining,
                                  long dataTotal, long dataProcessed, long dataRemaining,
                                  long memTotal, long memProcessed, long memRemaining,
                                  long fileTotal, long fileProcessed, long fileRemaining) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(type);
        for (long value : new long[] {timeElapsed, timeRemaining, dataTotal, dataProcessed, dataRemaining,
                memTotal, memProcessed, memRemaining, fileTotal, fileProcessed, fileRemaining}) {
            out.writeUnsignedHyper(value);
        }
    }

    public static DomainGetJobInfoRet decode(XdrDecoder in) {
        return new DomainGetJobInfoRet(in.readInt(), in.readUnsignedHyper(), in.readUnsignedHyper(),
                in.readUnsignedHyper(), in.readUnsignedHyper(), in.readUnsignedHyper(),
                in.readUnsignedHyper(), in.readUnsignedHyper(), in.readUnsignedHyper(),
                in.readUnsignedHyper(), in.readUnsignedHyper(), in.readUnsignedHyper());
    }
}
