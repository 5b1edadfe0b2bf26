package io.dpuvirt.virt.driver.test;

import io.dpuvirt.virt.conf.CharDeviceConfig;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.driver.ConsoleOutput;
import io.dpuvirt.virt.driver.ConsoleSession;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.StateReason;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;
import io.dpuvirt.virt.driver.managed.Guest;
import io.dpuvirt.virt.driver.managed.GuestListener;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A guest of the test driver: no process, only behaviour. It powers off at once when asked (as libvirt's
 * test driver does), or when it is resumed if it was paused when asked, since a paused guest cannot see
 * the power button; its CPU time is the time it has been running; its console echoes.
 */
final class TestGuest implements Guest {
    private final DomainConfig config;
    private final GuestListener listener;
    private final long startedNanos = System.nanoTime();
    private final Set<TestConsole> consoles = ConcurrentHashMap.newKeySet();
    private volatile boolean paused;
    private volatile boolean powerdownPending;

    TestGuest(DomainConfig config, boolean paused, GuestListener listener) {
        this.config = config;
        this.paused = paused;
        this.listener = listener;
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
        if (powerdownPending) {
            powerOff();
        }
    }

    @Override
    public void powerdown() {
        if (paused) {
            powerdownPending = true;
        } else {
            powerOff();
        }
    }

    @Override
    public void reset() {
        if (!paused) {
            listener.statusChanged(DomainStatus.of(StateReason.Running.BOOTED));
        }
    }

    @Override
    public void kill(boolean graceful) {
        endConsoles();
    }

    @Override
    public long cpuTimeNs() {
        return System.nanoTime() - startedNanos;
    }

    @Override
    public ConsoleSession attachConsole(Optional<String> device, ConsoleOutput output) throws DriverException {
        if (device.isPresent() && !hasCharDevice(device.get())) {
            throw DriverException.of(VirErrorCode.INTERNAL_ERROR, VirErrorDomain.TEST,
                    "cannot find character device " + device.get());
        }
        TestConsole session = new TestConsole(output, consoles::remove);
        consoles.add(session);
        session.greet(config.name());
        return session;
    }

    @Override
    public Map<String, String> facts() {
        return Map.of();
    }

    private boolean hasCharDevice(String alias) {
        return Stream.concat(config.devices().consoles().stream(), config.devices().serials().stream())
                .map(CharDeviceConfig::alias)
                .anyMatch(a -> a.equals(Optional.of(alias)));
    }

    private void powerOff() {
        endConsoles();
        listener.statusChanged(DomainStatus.of(StateReason.Shutoff.SHUTDOWN));
    }

    private void endConsoles() {
        consoles.forEach(TestConsole::close);
    }
}
