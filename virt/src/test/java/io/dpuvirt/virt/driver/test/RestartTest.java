package io.dpuvirt.virt.driver.test;

import io.dpuvirt.virt.driver.DomainFilter;
import io.dpuvirt.virt.driver.DomainRef;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.StateReason;
import io.dpuvirt.virt.host.LocalHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A restarted driver reloads its definitions, finds running domains again as they were, and autostarts. */
class RestartTest {
    @TempDir
    Path root;

    private Driver start(TestDriverFactory factory) throws Exception {
        factory.start();
        return factory.open(URI.create("test:///default"));
    }

    private TestDriverFactory newFactory() {
        return new TestDriverFactory(new DriverContext(root, new LocalHost()));
    }

    @Test
    void definitionsStatesIdsAndAutostartSurviveARestart() throws Exception {
        TestDriverFactory first = newFactory();
        Driver before = start(first);
        DomainRef off = before.define(TestDriverTest.guest("off"), false);
        DomainRef paused = before.start(before.define(TestDriverTest.guest("paused"), false), false);
        before.suspend(paused);
        DomainRef auto = before.define(TestDriverTest.guest("auto"), false);
        before.setAutostart(auto, true);
        DomainRef transientOne = before.create(TestDriverTest.guest("transient"), false, false);
        first.close();

        Driver after = start(newFactory());

        assertThat(after.listDomains(DomainFilter.ALL)).extracting(DomainRef::name)
                .containsExactlyInAnyOrder("test", "off", "paused", "auto", "transient");
        assertThat(after.lookupByName("test").id()).isEqualTo(1);
        assertThat(after.status(off)).isEqualTo(DomainStatus.SHUT_OFF);
        assertThat(after.lookupByName("paused")).isEqualTo(paused);
        assertThat(after.status(paused)).isEqualTo(DomainStatus.of(StateReason.Paused.USER));
        assertThat(after.lookupByName("transient")).isEqualTo(transientOne);
        assertThat(after.isPersistent(transientOne)).isFalse();
        DomainRef autostarted = after.lookupByName("auto");
        assertThat(autostarted.id()).as("ids go on after the highest found again").isEqualTo(transientOne.id() + 1);
        assertThat(after.status(autostarted)).isEqualTo(DomainStatus.of(StateReason.Running.BOOTED));
        assertThat(after.autostart(auto)).isTrue();
    }

    @Test
    void theTestDomainIsCreatedOnlyOnTheFirstStart() throws Exception {
        TestDriverFactory first = newFactory();
        Driver before = start(first);
        before.destroy(before.lookupByName("test"), false);
        first.close();

        Driver after = start(newFactory());
        assertThat(after.status(after.lookupByName("test"))).isEqualTo(DomainStatus.SHUT_OFF);
    }

    @Test
    void aDefinitionThatDoesNotParseIsSkippedAndTheOthersLoad() throws Exception {
        TestDriverFactory first = newFactory();
        start(first).define(TestDriverTest.guest("good"), false);
        first.close();
        Files.writeString(root.resolve("etc/dpuvirt/test/broken.xml"), "<domain type='kvm'><name>broken");

        Driver after = start(newFactory());
        assertThat(after.listDomains(DomainFilter.ALL)).extracting(DomainRef::name).containsExactlyInAnyOrder("test", "good");
    }
}
