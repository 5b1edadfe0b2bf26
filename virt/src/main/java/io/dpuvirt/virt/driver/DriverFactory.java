package io.dpuvirt.virt.driver;

import java.net.URI;

/**
 * A driver as the daemon registers it under its URI scheme. The daemon starts every factory when it
 * starts (loading definitions, finding running guests again, autostarting) and gives each client
 * connection that opens one of its URIs the driver {@link #open} returns.
 */
public interface DriverFactory extends AutoCloseable {
    /** The URI scheme it serves: {@code test}, {@code qemu}, {@code stratovirt}. */
    String scheme();

    void start() throws DriverException;

    /** The driver for {@code uri} (of this factory's scheme), or why there is none. */
    Driver open(URI uri) throws DriverException;

    /** Stops serving; running guests keep running. */
    @Override
    void close();
}
