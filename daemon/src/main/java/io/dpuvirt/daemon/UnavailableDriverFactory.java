package io.dpuvirt.daemon;

import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.DriverFactory;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;

import java.net.URI;

/**
 * A scheme this daemon knows but cannot serve yet: clients get libvirt's "no connection driver
 * available" error with the reason, through the same registry a real driver takes its place in.
 */
final class UnavailableDriverFactory implements DriverFactory {
    private final String scheme;
    private final String reason;

    UnavailableDriverFactory(String scheme, String reason) {
        this.scheme = scheme;
        this.reason = reason;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public void start() {
    }

    @Override
    public Driver open(URI uri) throws DriverException {
        throw DriverException.of(VirErrorCode.NO_CONNECT, VirErrorDomain.DOMAIN, uri + " (" + reason + ")");
    }

    @Override
    public void close() {
    }
}
