package io.dpuvirt.virt.driver.test;

import io.dpuvirt.virt.driver.DomainFilter;
import io.dpuvirt.virt.driver.DomainInfo;
import io.dpuvirt.virt.driver.DomainRef;
import io.dpuvirt.virt.driver.DomainState;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.StateReason;
import io.dpuvirt.virt.driver.UndefineOption;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.host.LocalHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test driver's semantics: libvirt's states, reasons, rules and messages. */
class TestDriverTest {
    static final String GUEST = """
            <domain type='kvm'>
              <name>%s</name>
              <memory unit='MiB'>512</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64'>hvm</type></os>
            </domain>
            """;

    @TempDir
    Path root;

    private TestDriverFactory factory;
    private Driver driver;

    @BeforeEach
    void startDriver() throws Exception {
        factory = new TestDriverFactory(new DriverContext(root, new LocalHost()));
        factory.start();
        driver = factory.open(URI.create("test:///default"));
    }

    @AfterEach
    void closeDriver() {
        factory.close();
    }

    static String guest(String name) {
        return GUEST.formatted(name);
    }

    @Test
    void aFreshDriverHasLibvirtsTestDomainRunningWithId1() throws Exception {
        DomainRef test = driver.lookupByName("test");
        assertThat(test).isEqualTo(new DomainRef("test", UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f"), 1));
        assertThat(driver.status(test)).as("loaded running, as libvirt's").isEqualTo(DomainStatus.of(StateReason.Running.UNKNOWN));
        assertThat(driver.info(test)).satisfies(info -> {
            assertThat(info.maxMemoryKiB()).isEqualTo(8_388_608);
            assertThat(info.memoryKiB()).isEqualTo(2_097_152);
            assertThat(info.vcpus()).isEqualTo(2);
            assertThat(info.cpuTimeNs()).isPositive();
        });
        assertThat(driver.osType(test)).isEqualTo("linux");
        assertThat(driver.isPersistent(test)).isTrue();
        assertThat(driver.xml(test, false)).startsWith("<domain type='test' id='1'>");
        assertThat(driver.type()).isEqualTo("TEST");
        assertThat(driver.uri()).isEqualTo("test:///default");
    }

    @Test
    void lifecycleWithLibvirtsStatesAndReasons() throws Exception {
        DomainRef k1 = driver.define(guest("k1"), false);
        assertThat(k1.isActive()).isFalse();
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Shutoff.UNKNOWN));
        assertThat(driver.info(k1)).isEqualTo(new DomainInfo(DomainState.SHUTOFF, 524_288, 524_288, 1, 0));

        DomainRef running = driver.start(k1, false);
        assertThat(running.id()).isEqualTo(2);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Running.BOOTED));
        assertThat(driver.lookupById(2)).isEqualTo(running);

        driver.suspend(k1);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Paused.USER));
        driver.resume(k1);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Running.UNPAUSED));
        driver.reboot(k1);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Running.BOOTED));
        driver.shutdown(k1);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Shutoff.SHUTDOWN));
        assertThat(driver.lookupByName("k1").id()).isEqualTo(DomainRef.INACTIVE_ID);

        assertThat(driver.start(k1, true).id()).as("ids are not reused").isEqualTo(3);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Paused.USER));
        driver.destroy(k1, false);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Shutoff.DESTROYED));

        driver.undefine(k1, EnumSet.noneOf(UndefineOption.class));
        assertThatThrownBy(() -> driver.lookupByName("k1")).isInstanceOf(DriverException.class)
                .hasMessage("Domain not found: no domain with matching name 'k1'");
    }

    @Test
    void aPausedGuestPowersOffOnlyOnceResumed() throws Exception {
        DomainRef k1 = driver.start(driver.define(guest("k1"), false), false);
        driver.suspend(k1);
        driver.shutdown(k1);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Paused.USER));
        driver.resume(k1);
        assertThat(driver.status(k1)).isEqualTo(DomainStatus.of(StateReason.Shutoff.SHUTDOWN));
    }

    @Test
    void operationsInTheWrongStateFailWithLibvirtsMessages() throws Exception {
        DomainRef k1 = driver.define(guest("k1"), false);
        for (ThrowingCall call : new ThrowingCall[] {
                () -> driver.suspend(k1), () -> driver.resume(k1), () -> driver.shutdown(k1),
                () -> driver.reboot(k1), () -> driver.destroy(k1, false),
                () -> driver.openConsole(k1, java.util.Optional.empty(), false, new RecordingOutput())}) {
            assertFails(call, VirErrorCode.OPERATION_INVALID, "Requested operation is not valid: domain is not running");
        }
        driver.start(k1, false);
        assertFails(() -> driver.start(k1, false), VirErrorCode.OPERATION_INVALID,
                "Requested operation is not valid: domain is already running");
        assertFails(() -> driver.create(guest("k1"), false, false), VirErrorCode.OPERATION_FAILED,
                "operation failed: domain 'k1' already exists with uuid " + k1.uuid());
    }

    @Test
    void namesAndUuidsAreUniqueAcrossDomains() throws Exception {
        DomainRef k1 = driver.define(guest("k1"), false);
        assertFails(() -> driver.define(guest("k1"), false), VirErrorCode.OPERATION_FAILED,
                "operation failed: domain 'k1' already exists with uuid " + k1.uuid());
        String sameUuidOtherName = guest("k2").replace("<name>k2</name>", "<name>k2</name><uuid>" + k1.uuid() + "</uuid>");
        assertFails(() -> driver.define(sameUuidOtherName, false), VirErrorCode.OPERATION_FAILED,
                "operation failed: domain 'k1' is already defined with uuid " + k1.uuid());
        String redefinition = guest("k1").replace("<name>k1</name>", "<name>k1</name><uuid>" + k1.uuid() + "</uuid>")
                .replace("<memory unit='MiB'>512<", "<memory unit='MiB'>1024<");
        assertThat(driver.define(redefinition, false)).isEqualTo(k1);
        assertThat(driver.info(k1).maxMemoryKiB()).isEqualTo(1_048_576);
    }

    @Test
    void lookupsNameWhatWasNotFound() {
        assertFails(() -> driver.lookupByName("nosuch"), VirErrorCode.NO_DOMAIN,
                "Domain not found: no domain with matching name 'nosuch'");
        assertFails(() -> driver.lookupById(7), VirErrorCode.NO_DOMAIN, "Domain not found: no domain with matching id 7");
        UUID uuid = UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e1930");
        assertFails(() -> driver.lookupByUuid(uuid), VirErrorCode.NO_DOMAIN,
                "Domain not found: no domain with matching uuid '" + uuid + "'");
        assertFails(() -> driver.info(new DomainRef("gone", uuid, -1)), VirErrorCode.NO_DOMAIN,
                "Domain not found: no domain with matching uuid '" + uuid + "' (gone)");
    }

    @Test
    void invalidXmlNamesLineAndElement() {
        assertFails(() -> driver.define("<domain type='kvm'><name>x</name>", false), VirErrorCode.XML_ERROR,
                "XML error: (domain_definition):1: malformed XML: XML document structures must start and end within the same entity.");
        assertFails(() -> driver.define("<domain type='kvm'>\n<name>x</name>\n<memory>abc</memory><os><type>hvm</type></os></domain>", false),
                VirErrorCode.XML_ERROR,
                "XML error: (domain_definition):3: element 'memory': invalid value 'abc' (expected a non-negative decimal integer)");
        assertFails(() -> driver.define(guest("bad name"), false), VirErrorCode.XML_ERROR,
                "XML error: (domain_definition):2: element 'name': invalid name 'bad name' (only letters, digits, '_', '-' and ':' are allowed)");
    }

    @Test
    void theSchemaIsCheckedWhenAsked() throws Exception {
        String unknownElement = guest("k9").replace("<vcpu>", "<frobnicate/><vcpu>");
        assertThat(driver.define(unknownElement, false).name()).as("kept as an unknown element").isEqualTo("k9");
        String other = unknownElement.replace("k9", "k10");
        DriverException e = org.junit.jupiter.api.Assertions.assertThrows(DriverException.class,
                () -> driver.define(other, true));
        assertThat(e.code()).isEqualTo(VirErrorCode.XML_INVALID_SCHEMA);
        assertThat(e.getMessage()).startsWith("XML document failed to validate against schema: "
                + "Unable to validate doc against /usr/share/libvirt/schemas/domain.rng\n(domain_definition):");
    }

    @Test
    void transientDomainsVanishWhenTheyStop() throws Exception {
        DomainRef t = driver.create(guest("t1"), false, false);
        assertThat(t.isActive()).isTrue();
        assertThat(driver.isPersistent(t)).isFalse();
        assertFails(() -> driver.undefine(t, EnumSet.noneOf(UndefineOption.class)), VirErrorCode.OPERATION_INVALID,
                "Requested operation is not valid: cannot undefine transient domain");
        assertFails(() -> driver.setAutostart(t, true), VirErrorCode.OPERATION_INVALID,
                "Requested operation is not valid: cannot set autostart for transient domain");
        driver.destroy(t, false);
        assertFails(() -> driver.lookupByName("t1"), VirErrorCode.NO_DOMAIN,
                "Domain not found: no domain with matching name 't1'");
    }

    @Test
    void undefiningARunningDomainMakesItTransient() throws Exception {
        DomainRef k1 = driver.start(driver.define(guest("k1"), false), false);
        driver.undefine(k1, EnumSet.noneOf(UndefineOption.class));
        assertThat(driver.isPersistent(k1)).isFalse();
        assertThat(driver.isActive(k1)).isTrue();
        driver.shutdown(k1);
        assertThat(driver.listDomains(DomainFilter.ALL)).extracting(DomainRef::name).containsExactly("test");
    }

    @Test
    void aNewDefinitionOfARunningDomainAppliesFromItsNextStart() throws Exception {
        DomainRef k1 = driver.start(driver.define(guest("k1"), false), false);
        String bigger = guest("k1").replace("<name>k1</name>", "<name>k1</name><uuid>" + k1.uuid() + "</uuid>")
                .replace("<memory unit='MiB'>512<", "<memory unit='MiB'>2048<");
        driver.define(bigger, false);
        assertThat(driver.xml(k1, false)).contains("<memory unit='KiB'>524288</memory>");
        assertThat(driver.xml(k1, true)).contains("<memory unit='KiB'>2097152</memory>").doesNotContain("id=");
        driver.destroy(k1, false);
        assertThat(driver.xml(k1, false)).contains("<memory unit='KiB'>2097152</memory>");
    }

    @Test
    void listingsFilterAsLibvirtDoes() throws Exception {
        DomainRef k1 = driver.define(guest("k1"), false);
        driver.setAutostart(k1, true);
        driver.suspend(driver.create(guest("t1"), false, false));
        assertThat(names(0)).containsExactlyInAnyOrder("test", "k1", "t1");
        assertThat(names(DomainFilter.ACTIVE)).containsExactlyInAnyOrder("test", "t1");
        assertThat(names(DomainFilter.INACTIVE)).containsExactly("k1");
        assertThat(names(DomainFilter.TRANSIENT)).containsExactly("t1");
        assertThat(names(DomainFilter.PAUSED | DomainFilter.SHUTOFF)).containsExactlyInAnyOrder("k1", "t1");
        assertThat(names(DomainFilter.AUTOSTART)).containsExactly("k1");
        assertThat(names(DomainFilter.MANAGEDSAVE)).isEmpty();
        assertThat(names(DomainFilter.ACTIVE | DomainFilter.NO_SNAPSHOT)).containsExactlyInAnyOrder("test", "t1");
    }

    @Test
    void definitionsAndMarksAreFilesUnderTheRoot() throws Exception {
        DomainRef k1 = driver.define(guest("k1"), false);
        Path config = root.resolve("etc/dpuvirt/test/k1.xml");
        assertThat(config).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        driver.setAutostart(k1, true);
        assertThat(Files.readSymbolicLink(root.resolve("etc/dpuvirt/test/autostart/k1.xml"))).isEqualTo(Path.of("../k1.xml"));
        driver.start(k1, false);
        assertThat(root.resolve("run/dpuvirt/test/k1.state")).content().contains("id=2", "state=running", "reason=1");
        assertThat(root.resolve("run/dpuvirt/test/k1.xml")).content().startsWith("<domain type='kvm' id='2'>");
        driver.destroy(k1, false);
        assertThat(root.resolve("run/dpuvirt/test/k1.state")).doesNotExist();
        driver.undefine(k1, EnumSet.noneOf(UndefineOption.class));
        assertThat(config).doesNotExist();
        assertThat(root.resolve("etc/dpuvirt/test/autostart/k1.xml")).doesNotExist();
    }

    private java.util.List<String> names(int flags) {
        return driver.listDomains(new DomainFilter(flags)).stream().map(DomainRef::name).toList();
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    static void assertFails(ThrowingCall call, VirErrorCode code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.code()).isEqualTo(code);
        });
    }
}
