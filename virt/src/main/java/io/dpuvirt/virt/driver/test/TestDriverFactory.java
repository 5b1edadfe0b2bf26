package io.dpuvirt.virt.driver.test;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.DriverFactory;
import io.dpuvirt.virt.driver.StateReason;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;
import io.dpuvirt.virt.driver.managed.DomainStore;
import io.dpuvirt.virt.driver.managed.DriverDirectories;
import io.dpuvirt.virt.driver.managed.ManagedDriver;
import io.dpuvirt.virt.driver.managed.RunningState;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * {@code test:///default}: libvirt's test driver, one instance that every client shares. Unlike libvirt's,
 * whose default instance lives only as long as its connections, it keeps its domains in the daemon's root
 * like any driver, so that state outlives clients and daemon restarts. The first time it starts under a
 * root it has libvirt's predefined domain {@code test}, running with id 1, as libvirt's has it.
 */
public final class TestDriverFactory implements DriverFactory {
    private final ManagedDriver driver;
    private final DomainStore store;

    public TestDriverFactory(DriverContext context) {
        this.store = new DomainStore(DriverDirectories.under(context.root(), TestHypervisor.NAME));
        this.driver = new ManagedDriver(new TestHypervisor(context.host()), store);
    }

    @Override
    public String scheme() {
        return TestHypervisor.NAME;
    }

    @Override
    public void start() throws DriverException {
        if (store.isNew()) {
            seed();
        }
        driver.start();
    }

    /**
     * libvirt's test driver loads its domain "test" already running, so its state reads "running (unknown)":
     * it is written as a definition and a running state with that status, which the driver then finds.
     */
    private void seed() throws DriverException {
        String xml = TestHypervisor.defaultDomainXml();
        try {
            store.create();
            store.saveDefinition(TestHypervisor.DEFAULT_DOMAIN, xml);
            // the live XML's id is only informative: the state file carries it
            store.saveRun(TestHypervisor.DEFAULT_DOMAIN, xml, new RunningState(TestHypervisor.DEFAULT_DOMAIN_UUID, 1,
                    DomainStatus.of(StateReason.Running.UNKNOWN), Map.of()));
        } catch (IOException e) {
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, VirErrorDomain.TEST,
                    "cannot create the test driver's files under " + store.directories().config() + ": " + e.getMessage(), e);
        }
        Log.info("test: first start under " + store.directories().config() + ": predefined domain 'test' is running");
    }

    @Override
    public Driver open(URI uri) throws DriverException {
        if (!"/default".equals(uri.getPath()) || uri.getHost() != null) {
            throw DriverException.of(VirErrorCode.NO_CONNECT, VirErrorDomain.TEST,
                    uri + " (this daemon's test driver serves " + TestHypervisor.URI + " only)");
        }
        return driver;
    }

    @Override
    public void close() {
        driver.close();
    }
}
