package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.DomainXmlException;
import io.dpuvirt.virt.driver.ConsoleOutput;
import io.dpuvirt.virt.driver.ConsoleSession;
import io.dpuvirt.virt.driver.DomainFilter;
import io.dpuvirt.virt.driver.DomainInfo;
import io.dpuvirt.virt.driver.DomainRef;
import io.dpuvirt.virt.driver.DomainState;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.NodeInfo;
import io.dpuvirt.virt.driver.SecurityLabel;
import io.dpuvirt.virt.driver.SecurityModel;
import io.dpuvirt.virt.driver.StateReason;
import io.dpuvirt.virt.driver.UndefineOption;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Driver} for any {@link Hypervisor}: libvirt's domain semantics — definitions and their
 * uniqueness, states and which operation each allows, transient and persistent domains, autostart — with
 * the driver's files in a {@link DomainStore}. The hypervisor only runs guests.
 * <p>
 * Operations on a domain hold its lock (waiting at most 30 s, as libvirt waits for a domain's job);
 * queries read its current snapshot and never wait. A restarted driver finds running guests again
 * through their running-state files and never stops them.
 */
public final class ManagedDriver implements Driver, AutoCloseable {
    @FunctionalInterface
    private interface Operation<T> {
        T apply(DomainObject domain, DomainSnapshot snapshot) throws DriverException;
    }

    /** The state recorded while a guest's process runs and its start is not complete. */
    private static final DomainStatus STARTING = DomainStatus.of(StateReason.Paused.STARTING_UP);

    private final Hypervisor hypervisor;
    private final DomainStore store;
    /** How often the guests that could not be looked for are looked for again. */
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(3);

    /**
     * Domains whose guest could not be looked for at the daemon's start (its HOST unreachable), by name, with why: the
     * guest may still run, so a start is refused (two qemu on one disk corrupt it) until it is found out, which a
     * thread tries every {@link #LOOK_AGAIN}.
     */
    private final Map<String, String> notFoundAgain = new ConcurrentHashMap<>();
    private final ScheduledExecutorService lookingAgain = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("find-again").factory());
    private final DomainDefinitions definitions;
    private final DomainTable table;
    private final VirErrorDomain origin;

    public ManagedDriver(Hypervisor hypervisor, DomainStore store) {
        this.hypervisor = hypervisor;
        this.store = store;
        this.definitions = new DomainDefinitions(hypervisor);
        this.origin = hypervisor.errorDomain();
        this.table = new DomainTable(origin);
    }

    /** Loads the definitions, finds the running guests again, then starts the domains marked autostart. */
    public void start() throws DriverException {
        try {
            store.create();
            for (DomainStore.StoredDefinition stored : store.definitions()) {
                load(stored);
            }
            for (DomainStore.StoredRun run : store.runs()) {
                findAgain(run);
            }
            if (!notFoundAgain.isEmpty()) {
                lookingAgain.scheduleWithFixedDelay(this::lookAgain, LOOK_AGAIN.toMillis(), LOOK_AGAIN.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            throw failed("cannot load the domains of driver " + hypervisor.name() + " from "
                    + store.directories().config() + ": " + e.getMessage(), e);
        }
        autostart();
    }

    /** Detaches the consoles; guests keep running. */
    @Override
    public void close() {
        lookingAgain.shutdownNow();
        for (DomainObject domain : table.all()) {
            ConsoleSession console = domain.console().get();
            if (console != null) {
                console.close();
            }
        }
    }

    // ---- the connection and the node

    @Override
    public String uri() {
        return hypervisor.uri();
    }

    @Override
    public String type() {
        return hypervisor.type();
    }

    @Override
    public long version() {
        return hypervisor.version();
    }

    @Override
    public String hostname() {
        return hypervisor.hostname();
    }

    @Override
    public String capabilities() {
        return hypervisor.capabilities();
    }

    @Override
    public NodeInfo nodeInfo() {
        return hypervisor.nodeInfo();
    }

    @Override
    public SecurityModel securityModel() {
        return hypervisor.securityModel();
    }

    // ---- finding domains

    @Override
    public List<DomainRef> listDomains(DomainFilter filter) {
        return table.all().stream()
                .flatMap(domain -> domain.view().stream())
                .filter(s -> filter.matches(s.status(), s.persistent(), s.autostart()))
                .map(DomainSnapshot::ref)
                .toList();
    }

    @Override
    public DomainRef lookupByName(String name) throws DriverException {
        return table.byName(name).flatMap(DomainObject::view).map(DomainSnapshot::ref)
                .orElseThrow(() -> noDomain("no domain with matching name '" + name + "'"));
    }

    @Override
    public DomainRef lookupByUuid(UUID uuid) throws DriverException {
        return table.byUuid(uuid).flatMap(DomainObject::view).map(DomainSnapshot::ref)
                .orElseThrow(() -> noDomain("no domain with matching uuid '" + uuid + "'"));
    }

    @Override
    public DomainRef lookupById(int id) throws DriverException {
        return table.byId(id).flatMap(DomainObject::view).filter(s -> s.id() == id).map(DomainSnapshot::ref)
                .orElseThrow(() -> noDomain("no domain with matching id " + id));
    }

    // ---- lifecycle

    @Override
    public DomainRef define(String xml, boolean validateSchema) throws DriverException {
        DomainConfig config = definitions.accept(xml, validateSchema);
        DomainTable.Claim claim = table.claim(config, "define");
        DomainObject domain = claim.domain();
        try {
            store.saveDefinition(config.name(), definitions.write(config));
            domain.update(claim.isNew() ? DomainSnapshot.defined(config, false) : domain.snapshot().withDefinition(config));
            Log.info(hypervisor.name() + ": domain '" + config.name() + "' defined");
            return domain.snapshot().ref();
        } catch (IOException e) {
            if (claim.isNew()) {
                table.remove(domain);
            }
            throw failed("cannot save the definition of domain '" + config.name() + "': " + e.getMessage(), e);
        } finally {
            domain.unlock();
        }
    }

    @Override
    public DomainRef create(String xml, boolean paused, boolean validateSchema) throws DriverException {
        DomainConfig config = definitions.accept(xml, validateSchema);
        DomainTable.Claim claim = table.claim(config, "create");
        DomainObject domain = claim.domain();
        try {
            if (claim.isNew()) {
                domain.update(new DomainSnapshot(config, false, false, DomainStatus.SHUT_OFF, DomainRef.INACTIVE_ID,
                        Optional.empty(), Optional.empty()));
            } else if (domain.snapshot().isActive()) {
                throw invalid("domain '" + config.name() + "' is already active");
            }
            launch(domain, config, paused);
            return domain.snapshot().ref();
        } catch (DriverException | RuntimeException e) {
            if (claim.isNew()) {
                table.remove(domain);
            }
            throw e;
        } finally {
            domain.unlock();
        }
    }

    @Override
    public DomainRef start(DomainRef ref, boolean paused) throws DriverException {
        return withDomain(ref, "start", (domain, s) -> {
            if (s.isActive()) {
                throw invalid("domain is already running");
            }
            launch(domain, s.definition(), paused);
            return domain.snapshot().ref();
        });
    }

    @Override
    public void suspend(DomainRef ref) throws DriverException {
        withDomain(ref, "suspend", (domain, s) -> {
            Guest guest = runningGuest(s);
            if (s.status().state() != DomainState.PAUSED) {
                guest.pause();
                updateStatus(domain, guest, DomainStatus.of(StateReason.Paused.USER));
            }
            return null;
        });
    }

    @Override
    public void resume(DomainRef ref) throws DriverException {
        withDomain(ref, "resume", (domain, s) -> {
            Guest guest = runningGuest(s);
            if (s.status().state() == DomainState.PAUSED) {
                guest.resume();
                updateStatus(domain, guest, DomainStatus.of(StateReason.Running.UNPAUSED));
            }
            return null;
        });
    }

    @Override
    public void shutdown(DomainRef ref) throws DriverException {
        withDomain(ref, "shutdown", (domain, s) -> {
            runningGuest(s).powerdown();
            return null;
        });
    }

    @Override
    public void reboot(DomainRef ref) throws DriverException {
        withDomain(ref, "reboot", (domain, s) -> {
            runningGuest(s).reset();
            return null;
        });
    }

    @Override
    public void destroy(DomainRef ref, boolean graceful) throws DriverException {
        withDomain(ref, "destroy", (domain, s) -> {
            runningGuest(s).kill(graceful);
            stopped(domain, DomainStatus.of(StateReason.Shutoff.DESTROYED));
            return null;
        });
    }

    @Override
    public void undefine(DomainRef ref, EnumSet<UndefineOption> options) throws DriverException {
        withDomain(ref, "undefine", (domain, s) -> {
            if (!s.persistent()) {
                throw invalid("cannot undefine transient domain");
            }
            try {
                store.deleteDefinition(s.name());
            } catch (IOException e) {
                throw failed("cannot remove the definition of domain '" + s.name() + "': " + e.getMessage(), e);
            }
            hypervisor.undefined(s.definition(), options);
            if (s.isActive()) {
                domain.update(s.transientNow());
            } else {
                table.remove(domain);
            }
            Log.info(hypervisor.name() + ": domain '" + s.name() + "' undefined");
            return null;
        });
    }

    // ---- what a domain is and how it is

    @Override
    public String xml(DomainRef ref, boolean inactive) throws DriverException {
        DomainSnapshot s = view(ref);
        return s.isActive() && !inactive
                ? definitions.writeLive(s.current(), s.id())
                : definitions.write(s.definition());
    }

    @Override
    public DomainInfo info(DomainRef ref) throws DriverException {
        DomainSnapshot s = view(ref);
        DomainConfig config = s.current();
        return new DomainInfo(s.status().state(), config.memoryKiB(),
                config.currentMemoryKiB().orElse(config.memoryKiB()), config.vcpu().count(),
                s.guest().map(Guest::cpuTimeNs).orElse(0L));
    }

    @Override
    public DomainStatus status(DomainRef ref) throws DriverException {
        return view(ref).status();
    }

    @Override
    public String osType(DomainRef ref) throws DriverException {
        return hypervisor.osType(view(ref).current());
    }

    @Override
    public boolean isActive(DomainRef ref) throws DriverException {
        return view(ref).isActive();
    }

    @Override
    public boolean isPersistent(DomainRef ref) throws DriverException {
        return view(ref).persistent();
    }

    @Override
    public boolean autostart(DomainRef ref) throws DriverException {
        return view(ref).autostart();
    }

    @Override
    public void setAutostart(DomainRef ref, boolean autostart) throws DriverException {
        withDomain(ref, "autostart", (domain, s) -> {
            if (!s.persistent()) {
                throw invalid("cannot set autostart for transient domain");
            }
            if (s.autostart() != autostart) {
                try {
                    store.setAutostart(s.name(), autostart);
                } catch (IOException e) {
                    throw failed("cannot change the autostart mark of domain '" + s.name() + "': " + e.getMessage(), e);
                }
                domain.update(s.withAutostart(autostart));
            }
            return null;
        });
    }

    @Override
    public SecurityLabel securityLabel(DomainRef ref) throws DriverException {
        DomainSnapshot s = view(ref);
        return hypervisor.securityLabel(s.current(), s.isActive());
    }

    @Override
    public ConsoleSession openConsole(DomainRef ref, Optional<String> device, boolean force, ConsoleOutput output)
            throws DriverException {
        return withDomain(ref, "console", (domain, s) -> {
            Guest guest = runningGuest(s);
            // under the domain's lock only this thread installs a session; sessions clear themselves when they end
            AtomicReference<ConsoleSession> slot = domain.console();
            ConsoleSession current = slot.get();
            if (current != null && !force) {
                throw failed("Active console session exists for this domain", null);
            }
            if (current != null) {
                current.close();
                slot.compareAndSet(current, null);
            }
            ExclusiveConsole session = new ExclusiveConsole(slot, output);
            slot.set(session);
            try {
                session.attach(guest.attachConsole(device, session));
            } catch (DriverException | RuntimeException e) {
                slot.compareAndSet(session, null);
                throw e;
            }
            return session;
        });
    }

    // ---- running guests

    /** Starts {@code config}'s guest as the domain's new run and records it; the domain's lock is held. */
    private void launch(DomainObject domain, DomainConfig config, boolean paused) throws DriverException {
        String unknown = notFoundAgain.get(config.name());
        if (unknown != null) {
            throw failed("domain '" + config.name() + "' may still be running: its guest could not be looked for since"
                    + " the daemon started (" + unknown + "); it is looked for again every " + LOOK_AGAIN.toSeconds()
                    + " s, and can be started once it is found out", null);
        }
        int id = table.assignId(domain);
        AtomicReference<Guest> self = new AtomicReference<>();
        Guest guest;
        try {
            guest = hypervisor.launch(config, id, paused, status -> guestStatusChanged(domain, self, status),
                    spawned -> store.saveRun(config.name(), definitions.writeLive(config, id),
                            new RunningState(config.uuid().orElseThrow(), id, STARTING, spawned.facts())));
        } catch (DriverException | RuntimeException e) {
            table.releaseId(id);
            deleteRunQuietly(config.name());
            throw e;
        }
        self.set(guest);
        DomainStatus status = DomainStatus.of(paused ? StateReason.Paused.USER : StateReason.Running.BOOTED);
        domain.update(domain.snapshot().started(config, id, status, guest));
        try {
            saveRun(domain.snapshot());
        } catch (IOException e) {
            // a guest the daemon could not find again after a restart must not run: undo the start
            guest.kill(false);
            stopped(domain, DomainStatus.of(StateReason.Shutoff.FAILED));
            throw failed("cannot save the running state of domain '" + config.name() + "': " + e.getMessage(), e);
        }
        Log.info(hypervisor.name() + ": domain '" + config.name() + "' started with id " + id
                + (paused ? ", paused" : ""));
    }

    private void deleteRunQuietly(String name) {
        try {
            store.deleteRun(name);
        } catch (IOException e) {
            Log.warn(hypervisor.name() + ": cannot remove the running state of domain '" + name + "': " + e.getMessage());
        }
    }

    /**
     * What a guest reported on its own; ignored when it is not the domain's current run any more. The guest is read
     * once the domain's lock is held: a start holds it until the guest is recorded, and an end reported before that
     * (qemu gone right after cont) was read as nobody's, and the domain stayed running with no process.
     */
    private void guestStatusChanged(DomainObject domain, AtomicReference<Guest> self, DomainStatus status) {
        domain.lockForEvent();
        try {
            Guest guest = self.get();
            if (guest == null || domain.isRemoved() || domain.snapshot().guest().orElse(null) != guest) {
                return;
            }
            if (status.isActive()) {
                updateStatus(domain, guest, status);
            } else {
                stopped(domain, status);
            }
        } finally {
            domain.unlock();
        }
    }

    /** Records a new status of the run of {@code guest}, unless that run already ended meanwhile. */
    private void updateStatus(DomainObject domain, Guest guest, DomainStatus status) {
        DomainSnapshot s = domain.snapshot();
        if (s.guest().orElse(null) != guest) {
            return;
        }
        domain.update(s.withStatus(status));
        try {
            store.saveState(s.name(), runningState(domain.snapshot()));
        } catch (IOException e) {
            Log.warn(hypervisor.name() + ": cannot save the state of domain '" + s.name() + "' (" + status
                    + "): " + e.getMessage());
        }
    }

    /** The run is over: the id is free, the console ends, a transient domain is gone. */
    private void stopped(DomainObject domain, DomainStatus shutoff) {
        DomainSnapshot s = domain.snapshot();
        table.releaseId(s.id());
        ConsoleSession console = domain.console().get();
        if (console != null) {
            console.close();
        }
        try {
            store.deleteRun(s.name());
        } catch (IOException e) {
            Log.warn(hypervisor.name() + ": cannot remove the running state of domain '" + s.name() + "': "
                    + e.getMessage());
        }
        domain.update(s.stopped(shutoff));
        if (!s.persistent()) {
            table.remove(domain);
        }
        Log.info(hypervisor.name() + ": domain '" + s.name() + "' stopped (" + shutoffReason(shutoff) + ")");
    }

    private void saveRun(DomainSnapshot s) throws IOException {
        store.saveRun(s.name(), definitions.writeLive(s.current(), s.id()), runningState(s));
    }

    private static RunningState runningState(DomainSnapshot s) {
        return new RunningState(s.uuid(), s.id(), s.status(), s.guest().orElseThrow().facts());
    }

    private Guest runningGuest(DomainSnapshot s) throws DriverException {
        return s.guest().orElseThrow(() -> invalid("domain is not running"));
    }

    // ---- loading at start-up

    private void load(DomainStore.StoredDefinition stored) {
        DomainConfig config;
        try {
            config = definitions.stored(stored.file().toString(), stored.xml());
        } catch (DomainXmlException e) {
            Log.error(hypervisor.name() + ": skipping a definition that does not parse: " + e.getMessage());
            return;
        }
        if (!config.name().equals(stored.name()) || config.uuid().isEmpty()) {
            Log.error(hypervisor.name() + ": skipping " + stored.file() + ": it must define domain '" + stored.name()
                    + "' with a uuid");
            return;
        }
        if (table.byUuid(config.uuid().get()).isPresent()) {
            Log.error(hypervisor.name() + ": skipping " + stored.file() + ": uuid " + config.uuid().get()
                    + " is already defined by another file");
            return;
        }
        table.addLoaded(new DomainObject(DomainSnapshot.defined(config, stored.autostart())));
    }

    /** A domain that was running when the daemon stopped: its guest is found again, or it is shut off. */
    private void findAgain(DomainStore.StoredRun run) throws IOException {
        RunningState state;
        DomainConfig live;
        try {
            state = RunningState.parse(run.state());
            live = definitions.stored(run.file().toString(), run.xml());
        } catch (IllegalArgumentException | DomainXmlException e) {
            Log.error(hypervisor.name() + ": cannot read the running state of domain '" + run.name() + "' ("
                    + run.file() + "): " + e.getMessage() + "; its files are left for inspection");
            return;
        }
        Optional<DomainObject> defined = table.byUuid(state.uuid());
        DomainObject domain = defined.orElseGet(() -> new DomainObject(new DomainSnapshot(live, false, false,
                DomainStatus.SHUT_OFF, DomainRef.INACTIVE_ID, Optional.empty(), Optional.empty())));
        if (defined.isPresent()) {
            try {
                domain.lock("find again", origin); // looked for again, clients may be at it meanwhile
            } catch (DriverException e) {
                return; // busy: the next round
            }
            if (domain.isRemoved()) {
                domain.unlock(); // undefined meanwhile: the next round finds it as a transient domain
                return;
            }
        } else {
            domain.lockNew("find again");
        }
        try {
            // under the domain's lock: the guest's own reports, which take it, wait until it is the domain's guest
            lookFor(run, state, live, domain);
        } finally {
            domain.unlock();
        }
    }

    private void lookFor(DomainStore.StoredRun run, RunningState state, DomainConfig live, DomainObject domain) throws IOException {
        AtomicReference<Guest> self = new AtomicReference<>();
        Optional<Guest> guest;
        try {
            guest = hypervisor.reattach(live, state.id(), state.status(), state.facts(),
                    status -> guestStatusChanged(domain, self, status));
        } catch (DriverException e) {
            if (notFoundAgain.put(run.name(), e.getMessage()) == null) {
                table.reserveId(state.id()); // no other start may take the id the guest may still hold
                Log.error(hypervisor.name() + ": cannot find domain '" + run.name() + "' again: " + e.getMessage()
                        + "; it is shown as shut off, its guest may still run, and it cannot be started until it is found"
                        + " out: it is looked for again every " + LOOK_AGAIN.toSeconds() + " s");
            }
            return;
        }
        if (notFoundAgain.remove(run.name()) != null) {
            Log.info(hypervisor.name() + ": domain '" + run.name() + "' could be looked for again");
        }
        if (guest.isEmpty()) {
            Log.warn(hypervisor.name() + ": domain '" + run.name() + "' (id " + state.id()
                    + ") ended while the daemon was not running");
            store.deleteRun(run.name());
            return;
        }
        if (state.status().equals(STARTING)) {
            // as libvirt does with a domain it finds starting: the start never completed (no cont, no pinning)
            Log.warn(hypervisor.name() + ": domain '" + run.name() + "' was being started when the daemon stopped:"
                    + " its guest is ended and the domain shut off");
            try {
                guest.get().kill(false);
            } catch (DriverException e) {
                Log.error(hypervisor.name() + ": cannot end the half-started guest of domain '" + run.name() + "': "
                        + e.getMessage());
                return;
            }
            store.deleteRun(run.name());
            return;
        }
        self.set(guest.get());
        domain.update(domain.snapshot().started(live, state.id(), state.status(), guest.get()));
        table.addLoaded(domain);
        Log.info(hypervisor.name() + ": domain '" + run.name() + "' found running again with id " + state.id());
    }

    /** A round of {@link #lookingAgain}: the guests not found out yet; it ends once every one is. */
    private void lookAgain() {
        try {
            List<DomainStore.StoredRun> runs = store.runs();
            notFoundAgain.keySet().retainAll(runs.stream().map(DomainStore.StoredRun::name).toList());
            for (DomainStore.StoredRun run : runs) {
                if (notFoundAgain.containsKey(run.name())) {
                    findAgain(run);
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.error(hypervisor.name() + ": looking for guests again failed: " + e.getMessage());
        }
        if (notFoundAgain.isEmpty()) {
            lookingAgain.shutdown();
        }
    }

    private void autostart() {
        for (DomainObject domain : table.all()) {
            DomainSnapshot s = domain.snapshot();
            if (s.persistent() && s.autostart() && !s.isActive()) {
                try {
                    start(s.ref(), false);
                } catch (DriverException e) {
                    Log.error(hypervisor.name() + ": cannot autostart domain '" + s.name() + "': " + e.getMessage());
                }
            }
        }
    }

    // ---- helpers

    private <T> T withDomain(DomainRef ref, String operation, Operation<T> action) throws DriverException {
        DomainObject domain = table.byUuid(ref.uuid()).orElseThrow(() -> noSuchRef(ref));
        domain.lock(operation, origin);
        try {
            if (domain.isRemoved() || domain.view().isEmpty()) {
                throw noSuchRef(ref);
            }
            return action.apply(domain, domain.snapshot());
        } finally {
            domain.unlock();
        }
    }

    private DomainSnapshot view(DomainRef ref) throws DriverException {
        return table.byUuid(ref.uuid()).flatMap(DomainObject::view).orElseThrow(() -> noSuchRef(ref));
    }

    private static String shutoffReason(DomainStatus status) {
        StateReason.Shutoff[] reasons = StateReason.Shutoff.values();
        return status.reason() < reasons.length ? reasons[status.reason()].name().toLowerCase(java.util.Locale.ROOT)
                : "reason " + status.reason();
    }

    private DriverException noSuchRef(DomainRef ref) {
        return noDomain("no domain with matching uuid '" + ref.uuid() + "' (" + ref.name() + ")");
    }

    private DriverException noDomain(String detail) {
        return DriverException.of(VirErrorCode.NO_DOMAIN, origin, detail);
    }

    private DriverException invalid(String detail) {
        return DriverException.of(VirErrorCode.OPERATION_INVALID, origin, detail);
    }

    private DriverException failed(String detail, Throwable cause) {
        return DriverException.of(VirErrorCode.OPERATION_FAILED, origin, detail, cause);
    }
}
