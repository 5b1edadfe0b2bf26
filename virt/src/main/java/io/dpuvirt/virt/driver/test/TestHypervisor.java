package io.dpuvirt.virt.driver.test;

import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.DriverLimits;
import io.dpuvirt.virt.driver.DomainState;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.NodeInfo;
import io.dpuvirt.virt.driver.SecurityLabel;
import io.dpuvirt.virt.driver.SecurityModel;
import io.dpuvirt.virt.driver.UndefineOption;
import io.dpuvirt.virt.driver.VirErrorDomain;
import io.dpuvirt.virt.driver.managed.Guest;
import io.dpuvirt.virt.driver.managed.GuestListener;
import io.dpuvirt.virt.driver.managed.SpawnRecorder;
import io.dpuvirt.virt.driver.managed.Hypervisor;
import io.dpuvirt.virt.host.Host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * libvirt's test driver as a hypervisor: guests without processes ({@link TestGuest}), the node libvirt's
 * test driver describes (2 NUMA cells, 16 i686 CPUs at 1400 MHz, 3 GiB), its security model
 * {@code testSecurity} with the label {@code libvirt-test}, and its OS type {@code linux} for every domain.
 */
public final class TestHypervisor implements Hypervisor {
    static final String NAME = "test";
    static final String URI = "test:///default";
    /** libvirt's predefined domain, and its UUID. */
    static final String DEFAULT_DOMAIN = "test";
    static final UUID DEFAULT_DOMAIN_UUID = UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f");
    /** libvirt's test driver reports version 0.0.2. */
    private static final long VERSION = 2;
    private static final NodeInfo NODE = new NodeInfo("i686", 3_145_728, 16, 1400, 2, 2, 2, 2);
    private static final SecurityModel SECURITY = new SecurityModel("testSecurity", "");
    private static final SecurityLabel LABEL = new SecurityLabel("libvirt-test", true);
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private final Host host;
    private final String capabilities = resource("capabilities.xml");

    public TestHypervisor(Host host) {
        this.host = host;
    }

    /** The domain a fresh test driver has, running: libvirt's {@code test} domain. */
    static String defaultDomainXml() {
        return resource("default-domain.xml");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String uri() {
        return URI;
    }

    @Override
    public VirErrorDomain errorDomain() {
        return VirErrorDomain.TEST;
    }

    @Override
    public String type() {
        return "TEST";
    }

    @Override
    public long version() {
        return VERSION;
    }

    /** The host's name, as libvirt's test driver reports the machine's. */
    @Override
    public String hostname() {
        try {
            return new String(host.readFile(HOSTNAME), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host name from " + HOSTNAME, e);
        }
    }

    @Override
    public String capabilities() {
        return capabilities;
    }

    @Override
    public NodeInfo nodeInfo() {
        return NODE;
    }

    @Override
    public SecurityModel securityModel() {
        return SECURITY;
    }

    @Override
    public SecurityLabel securityLabel(DomainConfig config, boolean active) {
        return active ? LABEL : SecurityLabel.NONE;
    }

    /** libvirt's test driver takes any domain its XML can describe. */
    @Override
    public DriverLimits limits() {
        return DriverLimits.NONE;
    }

    @Override
    public String osType(DomainConfig config) {
        return "linux";
    }

    @Override
    public Guest launch(DomainConfig config, int id, boolean paused, GuestListener listener, SpawnRecorder recorder) {
        return new TestGuest(config, paused, listener);
    }

    /** A test guest has nothing that could have died: it is found again in the state it was left in. */
    @Override
    public Optional<Guest> reattach(DomainConfig config, int id, DomainStatus status, Map<String, String> facts,
                                    GuestListener listener) {
        return Optional.of(new TestGuest(config, status.state() == DomainState.PAUSED, listener));
    }

    /** A test domain owns no file. */
    @Override
    public void undefined(DomainConfig config, EnumSet<UndefineOption> options) {
    }

    private static String resource(String name) {
        try (InputStream in = TestHypervisor.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
