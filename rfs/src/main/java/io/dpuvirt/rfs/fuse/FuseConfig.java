package io.dpuvirt.rfs.fuse;

/**
 * How a FUSE session talks to the kernel: INIT flags, the largest write (and read) per request, readahead,
 * how many background requests may be queued, and how many threads read requests.
 */
public record FuseConfig(int flags, int maxWrite, int maxReadahead, int maxBackground, int readers) {
    public FuseConfig {
        if (maxWrite % 4096 != 0 || maxWrite < 4096) {
            throw new IllegalArgumentException("maxWrite must be a positive multiple of 4096: " + maxWrite);
        }
    }
}
