package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.DriverLimits;
import io.dpuvirt.virt.driver.DomainState;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.NodeInfo;
import io.dpuvirt.virt.driver.SecurityLabel;
import io.dpuvirt.virt.driver.SecurityModel;
import io.dpuvirt.virt.driver.UndefineOption;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;
import io.dpuvirt.virt.driver.managed.Guest;
import io.dpuvirt.virt.driver.managed.GuestListener;
import io.dpuvirt.virt.driver.managed.SpawnRecorder;
import io.dpuvirt.virt.driver.managed.Hypervisor;
import io.dpuvirt.virt.host.Host;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.qmp.QmpException;
import io.dpuvirt.virt.qmp.MonitorConnector;
import io.dpuvirt.virt.qmp.QmpClient;
import io.dpuvirt.virt.qmp.RunStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * A hypervisor that runs each guest as a process of its own controlled over QMP — QEMU, and StratoVirt,
 * which speaks the same protocol — as its {@link VmmProfile} describes it. Guests are started by the
 * {@link GuestLauncher} and controlled as {@link VmmGuest}s; after a daemon restart they are found again by
 * pid and start time, and their monitor is connected again. Security drivers (SELinux, AppArmor) are not
 * applied: the model is {@code none}.
 */
public final class VmmHypervisor implements Hypervisor {
    /** Commands are quick; a monitor that takes longer is stuck. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** After a restart the monitor is there already, unless the host is far away or busy. */
    private static final Duration REATTACH_PATIENCE = Duration.ofSeconds(10);
    private static final SecurityModel NO_SECURITY = new SecurityModel("none", "0");

    private final VmmProfile profile;
    private final Host host;
    private final GuestContext context;
    private final GuestLauncher launcher;
    private final NodeProbe node;
    private final EmulatorVersion version;

    public VmmHypervisor(VmmProfile profile, DriverContext driverContext) {
        this.profile = profile;
        this.host = driverContext.host();
        this.context = new GuestContext(host, profile, driverContext.root(),
                new MonitorConnector(host::connect, COMMAND_TIMEOUT));
        this.launcher = new GuestLauncher(context);
        this.node = new NodeProbe(host);
        this.version = new EmulatorVersion(host, profile.emulator().apply("x86_64"), profile.versionFlag(),
                // program output, where the host's logs go (a remote host writes a program's output only there)
                driverContext.root().resolve("var/log/dpuvirt").resolve(profile.name()).resolve("version.txt"));
        // while the daemon waits for its first client, not during the first guest's start
        Thread.ofVirtual().name("qmp-warm-up").start(() -> {
            QmpClient.warmUp();
            AtomicFiles.warmUp(); // the guest's state file, replaced at each change
        });
    }

    @Override
    public String name() {
        return profile.name();
    }

    @Override
    public String uri() {
        return profile.uri();
    }

    @Override
    public VirErrorDomain errorDomain() {
        return context.origin();
    }

    @Override
    public String type() {
        return profile.type();
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public String hostname() {
        return node.hostname();
    }

    @Override
    public String capabilities() {
        return Capabilities.of(node.arch(), profile.emulator().apply(node.arch()), profile.emulates(),
                hasKvm());
    }

    @Override
    public NodeInfo nodeInfo() {
        return node.nodeInfo();
    }

    @Override
    public SecurityModel securityModel() {
        return NO_SECURITY;
    }

    @Override
    public SecurityLabel securityLabel(DomainConfig config, boolean active) {
        return SecurityLabel.NONE;
    }

    @Override
    public DriverLimits limits() {
        return profile.limits();
    }

    @Override
    public String osType(DomainConfig config) {
        return config.os().type();
    }

    @Override
    public Guest launch(DomainConfig config, int id, boolean paused, GuestListener listener, SpawnRecorder recorder)
            throws DriverException {
        LaunchPlan plan;
        try {
            plan = launcher.plan(config, id);
        } catch (IOException e) {
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "cannot prepare domain '"
                    + config.name() + "': " + e.getMessage(), e);
        }
        return launcher.launch(plan, paused, listener, recorder);
    }

    /**
     * The process is looked for by pid and start time; a guest whose process is gone has its files
     * removed. One that lives gets its monitor connected again; its vCPU pinning is the kernel's and
     * stayed. The state it is really in is asked, since the stored one may be older.
     */
    @Override
    public Optional<Guest> reattach(DomainConfig config, int id, DomainStatus status, Map<String, String> facts,
                                    GuestListener listener) throws DriverException {
        GuestFacts found;
        try {
            found = GuestFacts.parse(facts);
        } catch (IllegalArgumentException e) {
            throw DriverException.of(VirErrorCode.INTERNAL_ERROR, context.origin(), e.getMessage(), e);
        }
        try {
            LaunchPlan plan = launcher.plan(config, id, found.files());
            Optional<HostProcess> process = host.find(found.process(), Optional.of(plan.files().directory()));
            if (process.isEmpty()) {
                removeLeftovers(plan);
                return Optional.empty();
            }
            VmmGuest guest = new VmmGuest(context, plan, process.get(), status.state() == DomainState.PAUSED, listener);
            if (!guest.connectOrKeepTrying(REATTACH_PATIENCE)) {
                Log.warn(profile.name() + ": domain '" + config.name() + "' (pid " + found.process().pid() + ") runs but its"
                        + " monitor cannot be reached yet: it keeps its last known state, and the monitor is connected"
                        + " again as soon as it can be");
                return Optional.of(guest);
            }
            try {
                RunStatus real = guest.monitor().status();
                if (real.running() == (status.state() == DomainState.PAUSED)) {
                    Log.warn(profile.name() + ": domain '" + config.name() + "' was " + status.state() + " and is "
                            + real.status() + " now");
                }
            } catch (QmpException e) {
                Log.warn(profile.name() + ": cannot ask domain '" + config.name() + "' its state: " + e.getMessage()
                        + "; it keeps its last known state");
            }
            return Optional.of(guest);
        } catch (IOException e) {
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "cannot reach domain '"
                    + config.name() + "' (pid " + found.process().pid() + ") again: " + e.getMessage(), e);
        }
    }

    /** {@code --nvram} removes the UEFI variables; they are kept otherwise. */
    @Override
    public void undefined(DomainConfig config, EnumSet<UndefineOption> options) throws DriverException {
        if (!options.contains(UndefineOption.REMOVE_NVRAM) || config.os().nvram().isEmpty()) {
            return;
        }
        Path nvram = Path.of(config.os().nvram().get().path());
        try {
            host.deleteFile(nvram);
        } catch (IOException e) {
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, context.origin(), "cannot remove the UEFI "
                    + "variables " + nvram + " of domain '" + config.name() + "': " + e.getMessage(), e);
        }
    }

    private void removeLeftovers(LaunchPlan plan) throws IOException {
        for (Path file : plan.runFiles()) {
            host.deleteFile(file);
        }
    }

    private boolean hasKvm() {
        try {
            return host.exists(Path.of("/dev/kvm"));
        } catch (IOException e) {
            return false;
        }
    }
}
