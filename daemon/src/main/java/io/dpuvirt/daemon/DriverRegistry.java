package io.dpuvirt.daemon;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.DriverFactory;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The drivers of a daemon by URI scheme: which one a client's CONNECT_OPEN reaches. */
final class DriverRegistry implements AutoCloseable {
    private final Map<String, DriverFactory> factories = new LinkedHashMap<>();

    DriverRegistry(List<DriverFactory> drivers) {
        for (DriverFactory factory : drivers) {
            if (factories.putIfAbsent(factory.scheme(), factory) != null) {
                throw new IllegalArgumentException("two drivers for scheme " + factory.scheme());
            }
        }
    }

    /** Starts every driver: definitions loaded, running guests found again, autostart done. */
    void start() throws DriverException {
        for (DriverFactory factory : factories.values()) {
            factory.start();
            Log.info("driver " + factory.scheme() + " ready");
        }
    }

    /** The driver for {@code uri}, as libvirt words it when there is none. */
    Driver open(String uri) throws DriverException {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw DriverException.of(VirErrorCode.INTERNAL_ERROR, VirErrorDomain.DOMAIN, "Unable to parse URI " + uri);
        }
        DriverFactory factory = parsed.getScheme() == null ? null : factories.get(parsed.getScheme());
        if (factory == null) {
            throw DriverException.of(VirErrorCode.NO_CONNECT, VirErrorDomain.DOMAIN, uri);
        }
        return factory.open(parsed);
    }

    @Override
    public void close() {
        factories.values().forEach(DriverFactory::close);
    }
}
