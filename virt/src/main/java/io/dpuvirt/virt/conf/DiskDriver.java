package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/**
 * A disk's {@code <driver>}: back-end name ({@code qemu}), image {@code format} (XML attribute
 * {@code type}: raw, qcow2…), {@code cache} and {@code io} modes, and the iothread (1-based) serving it.
 */
public record DiskDriver(Optional<String> name, Optional<String> format, Optional<String> cache,
                         Optional<String> io, Optional<Integer> iothread) {
    public DiskDriver {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(iothread, "iothread");
    }
}
