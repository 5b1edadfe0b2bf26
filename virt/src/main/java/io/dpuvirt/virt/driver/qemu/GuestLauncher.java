package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.managed.GuestListener;
import io.dpuvirt.virt.driver.managed.SpawnRecorder;
import io.dpuvirt.virt.host.Host;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.host.ProcessExit;
import io.dpuvirt.virt.host.ProcessSpec;
import io.dpuvirt.virt.host.Stdio;
import io.dpuvirt.virt.qmp.MonitorConnector;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a guest: its private directory (0700) and log on the host, its UEFI variables, the hypervisor
 * process (a child of the daemon in a session of its own, stdout and stderr appended to the log, a
 * minimal environment), the monitor, the vCPU pinning, and — unless it starts paused — its vCPUs. A
 * start that fails on the way stops the process and says why, with the last lines of its log; only a start that
 * succeeded keeps the process ({@link HostProcess#keep}), so that a remote host ends one whose start was cut off.
 */
final class GuestLauncher {
    /** How long a hypervisor may take to bind its monitor (a guest with much preallocated memory is slow). */
    static final Duration MONITOR_PATIENCE = Duration.ofSeconds(30);
    private static final Path DEV_KVM = Path.of("/dev/kvm");

    private final GuestContext context;

    GuestLauncher(GuestContext context) {
        this.context = context;
    }

    /** The plan of a new run of {@code config} as domain {@code id}. */
    LaunchPlan plan(DomainConfig config, int id) throws IOException {
        return plan(config, id, GuestFiles.of(context.root(), context.profile().name(), id, config.name()));
    }

    /** The plan of a run whose files are {@code files} (one found again after a restart). */
    LaunchPlan plan(DomainConfig config, int id, GuestFiles files) throws IOException {
        return new LaunchPlan(config, id, context.profile().emulatorFor(config), accelerator(config), files,
                CharDevicePlan.of(config, files));
    }

    VmmGuest launch(LaunchPlan plan, boolean paused, GuestListener listener, SpawnRecorder recorder) throws DriverException {
        Host host = context.host();
        String name = plan.config().name();
        List<String> argv = context.profile().commandLine().build(plan);
        // the monitor is waited for from now: on a remote host the wait overlaps the start's round trip
        CompletableFuture<HostProcess> spawned = new CompletableFuture<>();
        CompletableFuture<ByteChannel> monitorAhead = context.monitors().connectAhead(plan.files().monitor(), MONITOR_PATIENCE,
                () -> !spawned.isDone() || (!spawned.isCompletedExceptionally() && spawned.join().isAlive()));
        HostProcess process;
        try {
            FirmwareFiles.prepare(plan.config().os(), host);
            Log.debug(context.profile().name() + ": starting domain '" + name + "': " + String.join(" ", argv));
            process = host.spawn(ProcessSpec.of(argv)
                    .withEnvironment(Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                            "LC_ALL", "C", "HOME", plan.files().directory().toString()))
                    .withStdio(Stdio.none(), Stdio.appendTo(plan.files().log()), Stdio.appendTo(plan.files().log()))
                    .withRunDirectory(plan.files().directory()));
        } catch (IOException e) {
            giveUp(spawned, monitorAhead, e);
            throw failed("cannot start " + argv.getFirst() + " for domain '" + name + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            giveUp(spawned, monitorAhead, e);
            throw e;
        }
        spawned.complete(process);
        VmmGuest guest = new VmmGuest(context, plan, process, paused, listener);
        try {
            recorder.spawned(guest);
            guest.connect(monitorAhead);
            VcpuPinning pinning = VcpuPinning.of(plan.config());
            if (!pinning.isEmpty()) {
                pinning.apply(guest.monitor().vcpuThreads(), process);
            }
            if (!paused) {
                guest.monitor().cont();
            }
            process.keep();
            return guest;
        } catch (IOException e) {
            // how it ended, when it did: a remote host kills one whose start was cut off (signal 9)
            CompletableFuture<ProcessExit> exit = process.exit();
            String ended = exit.isDone() && !exit.isCompletedExceptionally() ? "\nits process ended: " + exit.join() : "";
            guest.abandon();
            throw failed(context.profile().name() + " for domain '" + name + "' did not start: " + e.getMessage()
                    + ended + "\n" + LogTail.of(host, plan.files().log()), e);
        }
    }

    /**
     * KVM for domains of type {@code kvm} where the host has {@code /dev/kvm}; TCG for type {@code qemu},
     * and for type {@code kvm} where KVM is missing, with a warning. A hypervisor without TCG (StratoVirt)
     * always gets KVM.
     */
    private Accelerator accelerator(DomainConfig config) throws IOException {
        if (!context.profile().emulates()) {
            return Accelerator.KVM;
        }
        if (config.type() != DomainConfig.Type.KVM) {
            return Accelerator.TCG;
        }
        if (context.host().exists(DEV_KVM)) {
            return Accelerator.KVM;
        }
        Log.warn(context.profile().name() + ": domain '" + config.name() + "' is of type kvm but the host has no "
                + DEV_KVM + ": it runs emulated (TCG), much slower");
        return Accelerator.TCG;
    }

    /** No process: the wait for its monitor ends at its next try, and a connection made meanwhile is closed. */
    private static void giveUp(CompletableFuture<HostProcess> spawned, CompletableFuture<ByteChannel> monitorAhead, Exception why) {
        spawned.completeExceptionally(why);
        monitorAhead.thenAccept(MonitorConnector::closeQuietly);
    }

    private DriverException failed(String detail, Throwable cause) {
        return DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), detail, cause);
    }
}
