package io.dpuvirt.virt.driver.qemu;

import java.util.Optional;

/**
 * One option value of a QEMU-style command line, {@code virtio-blk-pci,drive=d0,id=disk0}: a leading word,
 * then {@code key=value} pairs. A comma inside a value is doubled, as QEMU's option parser (and StratoVirt's)
 * reads it, so that a path with a comma cannot smuggle in another property.
 */
public final class QemuOpts {
    private final StringBuilder text;

    private QemuOpts(String first) {
        this.text = new StringBuilder(escape(first));
    }

    /** Starts with a bare word: a device or backend type. */
    public static QemuOpts of(String first) {
        return new QemuOpts(first);
    }

    /** Starts with a first {@code key=value} pair. */
    public static QemuOpts of(String key, Object value) {
        return new QemuOpts(key + "=" + value.toString().replace(",", ",,"));
    }

    public QemuOpts set(String key, Object value) {
        text.append(',').append(key).append('=').append(escape(value.toString()));
        return this;
    }

    public QemuOpts set(String key, Optional<?> value) {
        value.ifPresent(v -> set(key, v));
        return this;
    }

    /** A bare word after the first ({@code server}, {@code nowait} in StratoVirt's syntax). */
    public QemuOpts word(String word) {
        text.append(',').append(word);
        return this;
    }

    /** {@code key=on} when {@code on}, nothing otherwise. */
    public QemuOpts on(String key, boolean on) {
        if (on) {
            set(key, "on");
        }
        return this;
    }

    /** Appends pairs already formatted, such as a {@link PciBuses} placement. */
    public QemuOpts append(String pairs) {
        if (!pairs.isEmpty()) {
            text.append(',').append(pairs);
        }
        return this;
    }

    public static String escape(String value) {
        return value.replace(",", ",,");
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
