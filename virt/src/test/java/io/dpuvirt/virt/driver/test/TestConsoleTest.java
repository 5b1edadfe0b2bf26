package io.dpuvirt.virt.driver.test;

import io.dpuvirt.virt.driver.ConsoleSession;
import io.dpuvirt.virt.driver.DomainRef;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.host.LocalHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static io.dpuvirt.virt.driver.test.TestDriverTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

/** A running domain's console: one session at a time, echoing, ended when the guest stops. */
class TestConsoleTest {
    @TempDir
    Path root;

    private TestDriverFactory factory;
    private Driver driver;
    private DomainRef k1;

    @BeforeEach
    void startDomain() throws Exception {
        factory = new TestDriverFactory(new DriverContext(root, new LocalHost()));
        factory.start();
        driver = factory.open(URI.create("test:///default"));
        k1 = driver.start(driver.define(TestDriverTest.guest("k1"), false), false);
    }

    @AfterEach
    void closeDriver() {
        factory.close();
    }

    @Test
    void greetsThenEchoesWhatIsTyped() throws Exception {
        RecordingOutput output = new RecordingOutput();
        ConsoleSession session = driver.openConsole(k1, Optional.empty(), false, output);
        session.send("ls\r".getBytes(StandardCharsets.UTF_8));
        assertThat(output.text()).isEqualTo(TestConsole.greeting("k1") + "ls\r\n");
        session.close();
        assertThat(output.ends()).isEqualTo(1);
        driver.openConsole(k1, Optional.empty(), false, new RecordingOutput()).close(); // the slot is free again
    }

    @Test
    void aSecondSessionNeedsForceAndEndsTheFirst() throws Exception {
        RecordingOutput first = new RecordingOutput();
        driver.openConsole(k1, Optional.empty(), false, first);
        assertFails(() -> driver.openConsole(k1, Optional.empty(), false, new RecordingOutput()),
                VirErrorCode.OPERATION_FAILED, "operation failed: Active console session exists for this domain");
        assertThat(first.ends()).isZero();

        RecordingOutput second = new RecordingOutput();
        driver.openConsole(k1, Optional.empty(), true, second);
        assertThat(first.ends()).isEqualTo(1);
        assertThat(second.ends()).isZero();
    }

    @Test
    void theSessionEndsWhenTheGuestStops() throws Exception {
        RecordingOutput output = new RecordingOutput();
        driver.openConsole(k1, Optional.empty(), false, output);
        driver.destroy(k1, false);
        assertThat(output.ends()).isEqualTo(1);
    }

    @Test
    void anUnknownDeviceIsNamed() {
        assertFails(() -> driver.openConsole(k1, Optional.of("serial7"), false, new RecordingOutput()),
                VirErrorCode.INTERNAL_ERROR, "internal error: cannot find character device serial7");
    }
}
