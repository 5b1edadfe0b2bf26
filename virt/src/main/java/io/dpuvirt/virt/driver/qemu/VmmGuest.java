package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.conf.Lifecycle;
import io.dpuvirt.virt.driver.ConsoleOutput;
import io.dpuvirt.virt.driver.ConsoleSession;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.StateReason;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.managed.Guest;
import io.dpuvirt.virt.driver.managed.GuestListener;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.host.ProcessExit;
import io.dpuvirt.virt.host.Signal;
import io.dpuvirt.virt.host.SocketWaiter;
import io.dpuvirt.virt.qmp.Monitor;
import io.dpuvirt.virt.qmp.MonitorConnector;
import io.dpuvirt.virt.qmp.QmpEvent;
import io.dpuvirt.virt.qmp.QmpException;
import io.dpuvirt.virt.qmp.QmpListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A guest run by a hypervisor process and controlled through its QMP monitor. Pause, resume, the power
 * button and reset are monitor commands; kill is SIGTERM, then SIGKILL after {@link #KILL_GRACE}. What the
 * guest does on its own is heard on the monitor and from its process's end: a {@code SHUTDOWN} event then
 * the exit is {@code shutoff (shutdown)}, an exit without it {@code shutoff (crashed)}, a panic follows
 * {@code <on_crash>}, a pause nobody asked for is {@code paused (unknown)}. When the process ends its
 * files (monitor and console sockets, pid file, directory) are removed.
 */
final class VmmGuest implements Guest, QmpListener {
    /** How long a hypervisor may take to exit after SIGTERM before it is killed (libvirt waits as long). */
    static final Duration KILL_GRACE = Duration.ofSeconds(10);
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);
    /** How long one attempt to reconnect a lost monitor waits for its socket (a cut link can last minutes). */
    private static final Duration RECONNECT_PATIENCE = Duration.ofSeconds(5);
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);
    /**
     * How long opening a console waits for its socket: on a DPU the mirror of a console socket can appear after
     * the start has returned (udsproxyd sees it and the monitor's separately), and libvirt's clients open the
     * console right after the start.
     */
    private static final Duration CONSOLE_PATIENCE = Duration.ofSeconds(1);
    /**
     * How long the end of a process that sent no SHUTDOWN waits for its monitor connection to end. qemu sends
     * SHUTDOWN before it exits, but on a remote host the end travels on another connection (rexec's watch) than the
     * event (the monitor's, through udsproxyd) and can overtake it: a guest shut down was seen reported crashed.
     */
    private static final Duration MONITOR_DRAIN = Duration.ofSeconds(2);

    private final GuestContext context;
    private final LaunchPlan plan;
    private final HostProcess process;
    private final GuestListener listener;
    private final GuestEvents events;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile Monitor monitor;
    /** Completed when the current monitor connection ends: every event the hypervisor sent has been heard. */
    private volatile CompletableFuture<Void> monitorEnd = new CompletableFuture<>();
    /**
     * Why the monitor went, while it is being connected again and until the guest's state has been read on the new
     * connection; null while commands may be sent. Set and cleared under {@link #monitorState}.
     */
    private volatile String monitorLost;
    private final Object monitorState = new Object();
    private volatile boolean paused;
    private volatile boolean shutdownSeen;
    private volatile boolean killing;

    VmmGuest(GuestContext context, LaunchPlan plan, HostProcess process, boolean paused, GuestListener listener) {
        this.context = context;
        this.plan = plan;
        this.process = process;
        this.paused = paused;
        this.listener = listener;
        this.events = new GuestEvents(context.profile().name() + " " + plan.config().name());
    }

    /** Connects the monitor (waiting for it within {@code patience}) and starts watching the process. */
    void connect(Duration patience) throws QmpException {
        watchProcess();
        monitor = new Monitor(context.monitors().connect(plan.files().monitor(), patience, process::isAlive, this),
                context.profile().dialect(), VmmHypervisor.COMMAND_TIMEOUT);
    }

    /**
     * After a daemon restart: connects the monitor, and if it cannot be reached while the process lives (a link
     * that is down, a qemu busy), keeps the guest and connects again as soon as it can, as after a lost monitor;
     * commands fail with the reason meanwhile. False in that case. Forgetting such a guest showed a running one as
     * shut off, and a start then ran a second qemu on its disks.
     */
    boolean connectOrKeepTrying(Duration patience) throws QmpException {
        try {
            connect(patience);
            return true;
        } catch (QmpException e) {
            if (!process.isAlive()) {
                throw e;
            }
            disconnected(e.getMessage());
            return false;
        }
    }

    /** As {@link #connect(Duration)}, on the monitor connection begun before the start ({@link MonitorConnector#connectAhead}). */
    void connect(CompletableFuture<ByteChannel> monitorAhead) throws QmpException {
        watchProcess();
        monitor = new Monitor(context.monitors().handshake(monitorAhead, plan.files().monitor(), this),
                context.profile().dialect(), VmmHypervisor.COMMAND_TIMEOUT);
    }

    private void watchProcess() {
        process.exit().whenComplete((exit, error) -> events.submit(() -> processEnded(exit, error)));
        monitorEnd = new CompletableFuture<>();
    }

    /** A start that failed half-way: the process is killed at once, and its end reported to no one. */
    void abandon() {
        killing = true;
        try {
            process.signalAndWaitFor(Signal.KILL, AFTER_KILL);
        } catch (IOException e) {
            Log.error(name() + ": cannot kill process " + process.id().pid() + " of a failed start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Monitor monitor() {
        return monitor;
    }

    HostProcess process() {
        return process;
    }

    // ---- what the driver asks

    @Override
    public void pause() throws DriverException {
        pausedBy("suspend", true, Monitor::stop);
    }

    @Override
    public void resume() throws DriverException {
        pausedBy("resume", false, Monitor::cont);
    }

    /**
     * Runs {@code call}, after which the guest is paused or not: set before it is sent, so that the event the
     * hypervisor sends for it is known as this command's; set back when the command fails, so that an event or
     * the state read after a reconnection tells what became of it.
     */
    private void pausedBy(String operation, boolean pausedAfter, MonitorCall call) throws DriverException {
        boolean before = paused;
        paused = pausedAfter;
        try {
            command(operation, call);
        } catch (DriverException e) {
            paused = before;
            throw e;
        }
    }

    @Override
    public void powerdown() throws DriverException {
        command("shutdown", Monitor::systemPowerdown);
    }

    @Override
    public void reset() throws DriverException {
        command("reboot", Monitor::systemReset);
    }

    @Override
    public void kill(boolean graceful) throws DriverException {
        killing = true;
        try {
            if (process.signalAndWaitFor(Signal.TERM, KILL_GRACE).isEmpty()) {
                if (graceful) {
                    throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "Failed to terminate "
                            + "process " + process.id().pid() + " with SIGTERM: it still runs after "
                            + KILL_GRACE.toSeconds() + " s");
                }
                Log.warn(name() + ": process " + process.id().pid() + " ignored SIGTERM for " + KILL_GRACE.toSeconds()
                        + " s: killing it");
                if (process.signalAndWaitFor(Signal.KILL, AFTER_KILL).isEmpty()) {
                    throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "process "
                            + process.id().pid() + " is still there " + AFTER_KILL.toSeconds() + " s after SIGKILL");
                }
            }
            ended.get(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS); // its files are gone
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "cannot stop process "
                    + process.id().pid() + " of " + name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "interrupted while stopping "
                    + name(), e);
        }
    }

    @Override
    public long cpuTimeNs() {
        try {
            return process.cpuTime().toNanos();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + process.id().pid(), e);
        }
    }

    @Override
    public ConsoleSession attachConsole(Optional<String> device, ConsoleOutput output) throws DriverException {
        GuestChar guestChar = plan.chars().console(device).orElseThrow(() -> DriverException.of(
                VirErrorCode.INTERNAL_ERROR, context.origin(), "cannot find character device "
                        + device.orElse("<null>")));
        if (!(guestChar.backend() instanceof CharBackend.Listen listen)) {
            throw DriverException.of(VirErrorCode.INTERNAL_ERROR, context.origin(), "character device "
                    + guestChar.alias() + " is not using a PTY");
        }
        try {
            return SocketConsole.attach(SocketWaiter.connect(context.host()::connect, listen.socket(),
                    CONSOLE_PATIENCE, process::isAlive), output, name());
        } catch (IOException e) {
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "cannot connect to the console "
                    + guestChar.alias() + " of " + name() + " at " + listen.socket() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "interrupted while connecting "
                    + "to the console " + guestChar.alias() + " of " + name(), e);
        }
    }

    @Override
    public Map<String, String> facts() {
        return GuestFacts.of(process.id(), plan.files()).asMap();
    }

    // ---- what the guest does on its own

    @Override
    public void event(QmpEvent event) {
        switch (event.name()) {
            case "SHUTDOWN" -> shutdownSeen = true;
            case "STOP" -> events.submit(() -> {
                if (!paused && !killing) {
                    paused = true;
                    listener.statusChanged(DomainStatus.of(StateReason.Paused.UNKNOWN));
                }
            });
            case "RESUME" -> events.submit(() -> {
                if (paused && !killing) {
                    paused = false;
                    listener.statusChanged(DomainStatus.of(StateReason.Running.UNPAUSED));
                }
            });
            case "GUEST_PANICKED" -> events.submit(this::panicked);
            default -> Log.debug(name() + ": event " + event.name() + " " + event.data());
        }
    }

    /**
     * The monitor went while the process runs: on a remote host the link was cut or udsproxyd restarted (the
     * guest itself is unaffected). It is connected again as soon as it can be; meanwhile monitor commands fail
     * with the reason. An end of the process ends the attempts.
     */
    @Override
    public void disconnected(String why) {
        Log.debug(name() + ": monitor connection ended: " + why);
        monitorEnd.complete(null);
        if (!killing && process.isAlive()) {
            synchronized (monitorState) {
                monitorLost = why;
            }
            Thread.ofVirtual().name("reconnect-" + plan.config().name()).start(() -> reconnect(why));
        }
    }

    private void reconnect(String why) {
        Log.warn(name() + ": lost its monitor (" + why + ") while process " + process.id().pid()
                + " runs: connecting again");
        while (!killing && process.isAlive()) {
            try {
                monitorEnd = new CompletableFuture<>();
                Monitor again = new Monitor(context.monitors().connect(plan.files().monitor(), RECONNECT_PATIENCE,
                        () -> !killing && process.isAlive(), this), context.profile().dialect(), VmmHypervisor.COMMAND_TIMEOUT);
                monitor = again;
                Log.info(name() + ": monitor connected again");
                events.submit(() -> catchUp(again));
                return;
            } catch (QmpException e) {
                // a mirror whose link is down accepts and closes at once: pause rather than spin
                Log.debug(name() + ": monitor not reachable yet: " + e.getMessage());
                try {
                    Thread.sleep(RECONNECT_PAUSE);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Pauses and resumes that happened while the monitor was away are reported now; only then are commands sent on
     * the new connection. A suspend accepted at once raced this catch-up: its state, read before the suspend, made the
     * suspend's own STOP look like nobody's (OffloadTest's link cut ended {@code paused (unknown)}).
     */
    private void catchUp(Monitor again) {
        try {
            boolean running = again.status().running();
            if (running == paused && !killing) {
                paused = !running;
                listener.statusChanged(DomainStatus.of(running ? StateReason.Running.UNPAUSED : StateReason.Paused.UNKNOWN));
            }
        } catch (QmpException e) {
            Log.warn(name() + ": cannot ask its state after reconnecting: " + e.getMessage());
        } finally {
            synchronized (monitorState) {
                if (monitor == again && again.isOpen()) { // else it went again: its disconnection said why
                    monitorLost = null;
                }
            }
        }
    }

    /** {@code <on_crash>}: restart resets the guest, preserve keeps it crashed, anything else destroys it. */
    private void panicked() {
        Lifecycle.Action action = plan.config().lifecycle().onCrash().orElse(Lifecycle.Action.DESTROY);
        Log.warn(name() + ": the guest panicked (on_crash " + action.xmlValue() + ")");
        try {
            switch (action) {
                case RESTART, COREDUMP_RESTART -> {
                    monitor.systemReset();
                    monitor.cont();
                }
                case PRESERVE -> listener.statusChanged(DomainStatus.of(StateReason.Crashed.PANICKED));
                default -> {
                    process.signal(Signal.KILL); // its end reports shutoff (crashed)
                }
            }
        } catch (IOException e) {
            Log.error(name() + ": cannot carry out on_crash " + action.xmlValue() + ": " + e.getMessage());
        }
    }

    /** The host removed the run directory before it reported the end ({@link io.dpuvirt.virt.host.ProcessSpec#withRunDirectory}). */
    private void processEnded(ProcessExit exit, Throwable error) {
        try {
            if (!killing && !shutdownSeen && monitor != null && monitorLost == null) {
                awaitMonitorEnd();
            }
            if (monitor != null) {
                monitor.close();
            }
            if (killing) {
                return;
            }
            StateReason.Shutoff reason = shutdownSeen ? StateReason.Shutoff.SHUTDOWN : StateReason.Shutoff.CRASHED;
            String how = error != null ? "cannot be watched (" + error.getMessage() + ")" : exit.toString();
            Log.info(name() + ": process " + process.id().pid() + " ended, " + how
                    + (shutdownSeen ? ", after the guest shut down" : ", without a shutdown: crashed"));
            listener.statusChanged(DomainStatus.of(reason));
        } finally {
            ended.complete(null);
            events.finish();
        }
    }

    /** Until the monitor connection has ended (its last events heard), at most {@link #MONITOR_DRAIN}. */
    private void awaitMonitorEnd() {
        try {
            monitorEnd.get(MONITOR_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Log.debug(name() + ": its monitor connection did not end within " + MONITOR_DRAIN.toMillis()
                    + " ms of its process's end");
        } catch (ExecutionException e) {
            throw new IllegalStateException("monitorEnd is only ever completed normally", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface MonitorCall {
        void apply(Monitor monitor) throws QmpException;
    }

    private void command(String operation, MonitorCall call) throws DriverException {
        String lost = monitorLost;
        if (lost != null) {
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), operation + " of " + name()
                    + " failed: its monitor is not connected (" + lost + "; connecting again: where the guest runs "
                    + "on the HOST, the link to it may be down)");
        }
        try {
            call.apply(monitor);
        } catch (QmpException e) {
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), operation + " of " + name()
                    + " failed: " + e.getMessage(), e);
        }
    }

    private String name() {
        return context.profile().name() + ": domain '" + plan.config().name() + "'";
    }
}
