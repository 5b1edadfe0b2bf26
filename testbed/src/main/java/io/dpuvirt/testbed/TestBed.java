package io.dpuvirt.testbed;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.common.exec.Commands;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.Signals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Two machines on one: a HOST and a DPU, each with its own network namespace (joined by a veth pair with
 * link-local addresses) and its own mount namespace (a private tmpfs on /run, /etc/qtfs, /var/lib/libvirt…).
 *
 * <p>Mount namespaces outlive their processes by being bind-mounted onto files under {@link #STATE_ROOT}, the way
 * {@code ip netns} keeps network namespaces under /run/netns. {@link #down(String)} removes everything a bed made,
 * whatever state a failed test left it in, and {@link #up(TestBedConfig)} calls it first.
 */
public final class TestBed implements AutoCloseable {
    public static final Path STATE_ROOT = Path.of("/run/dpuvirt-testbed");
    /** Beds come up and go down one at a time, across processes (tests may run several beds at once). */
    private static final Path LOCK = Path.of("/run/dpuvirt-testbed.lock");
    private static final String CREATED_DIRECTORIES = "created-directories";

    private final TestBedConfig config;
    private final Side host;
    private final Side dpu;

    private TestBed(TestBedConfig config) {
        this.config = config;
        this.host = side(config, Side.Role.HOST);
        this.dpu = side(config, Side.Role.DPU);
    }

    private static Side side(TestBedConfig config, Side.Role role) {
        return new Side(role, config.namespace(role), stateDirectory(config.name()).resolve(role.name().toLowerCase() + ".mnt"),
                config.address(role));
    }

    private static Path stateDirectory(String name) {
        return STATE_ROOT.resolve(name);
    }

    /** Creates the bed, after removing any leftovers of a bed with the same name. */
    public static TestBed up(TestBedConfig config) throws IOException {
        requireTools();
        try (java.nio.channels.FileChannel lock = lock()) {
            return upLocked(config);
        }
    }

    private static java.nio.channels.FileChannel lock() throws IOException {
        java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(LOCK,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        channel.lock();
        return channel; // closing the channel releases the lock
    }

    private static TestBed upLocked(TestBedConfig config) throws IOException {
        downLocked(config.name());
        TestBed bed = new TestBed(config);
        try {
            bed.create();
            return bed;
        } catch (IOException | RuntimeException e) {
            try {
                downLocked(config.name());
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The bed of this name, which must be up (for {@code dpuvirt testbed exec}). */
    public static TestBed existing(String name) throws IOException {
        TestBedConfig config = TestBedConfig.named(name);
        if (!Files.exists(stateDirectory(name)) || !Files.exists(Path.of("/run/netns", config.namespace(Side.Role.HOST)))) {
            throw new IOException("test bed '" + name + "' is not up (dpuvirt testbed up " + name + ")");
        }
        return new TestBed(config);
    }

    public static boolean isUp(String name) {
        return Files.exists(stateDirectory(name));
    }

    public Side host() {
        return host;
    }

    public Side dpu() {
        return dpu;
    }

    public Side side(Side.Role role) {
        return role == Side.Role.HOST ? host : dpu;
    }

    public TestBedConfig config() {
        return config;
    }

    private void create() throws IOException {
        makeStateRootPrivate();
        Path state = Files.createDirectories(stateDirectory(config.name()));
        recordCreatedDirectories(state);
        for (Side.Role role : Side.Role.values()) {
            Commands.check("ip", "netns", "add", config.namespace(role));
        }
        String hostVeth = config.vethName(Side.Role.HOST);
        String dpuVeth = config.vethName(Side.Role.DPU);
        Commands.check("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", dpuVeth);
        for (Side.Role role : Side.Role.values()) {
            String namespace = config.namespace(role);
            String veth = config.vethName(role);
            Commands.check("ip", "link", "set", veth, "netns", namespace);
            Commands.check("ip", "-n", namespace, "addr", "add", config.address(role) + "/" + config.prefixLength(), "dev", veth);
            Commands.check("ip", "-n", namespace, "link", "set", veth, "mtu", Integer.toString(config.linkMtu()), "up");
            giveTheLinkItsCongestionControl(role);
            Commands.check("ip", "-n", namespace, "link", "set", "lo", "up");
            createMountNamespace(role);
        }
    }

    /**
     * The connected route the address made, again with the link's congestion control. Per route, it needs no change
     * to the machine's tcp_allowed_congestion_control (a namespace's own default would).
     */
    private void giveTheLinkItsCongestionControl(Side.Role role) throws IOException {
        Commands.check("ip", "-n", config.namespace(role), "route", "replace", config.linkNetwork(), "dev",
                config.vethName(role), "proto", "kernel", "scope", "link", "src", config.address(role), "congctl",
                config.linkCongestionControl());
    }

    /** Sets {@code role}'s end of the link down: nothing crosses, and no peer is told, until {@link #restoreLink}. */
    public void cutLink(Side.Role role) throws IOException {
        Commands.check("ip", "-n", config.namespace(role), "link", "set", config.vethName(role), "down");
    }

    /** Sets {@code role}'s end of the link up again; the route the kernel makes anew gets the congestion control back. */
    public void restoreLink(Side.Role role) throws IOException {
        Commands.check("ip", "-n", config.namespace(role), "link", "set", config.vethName(role), "up");
        giveTheLinkItsCongestionControl(role);
    }

    /** A namespace file can only be bind-mounted onto a file whose mount does not propagate. */
    private static void makeStateRootPrivate() throws IOException {
        Files.createDirectories(STATE_ROOT);
        if (!Commands.run("mountpoint", "-q", STATE_ROOT.toString()).succeeded()) {
            Commands.check("mount", "--bind", STATE_ROOT.toString(), STATE_ROOT.toString());
        }
        Commands.check("mount", "--make-private", STATE_ROOT.toString());
    }

    /**
     * The private directories that do not exist on the machine are created, with any missing parents (e.g. /home for
     * /home/VMs), and removed again by down: each directory made is recorded at once, deepest last, so that a
     * failure half-way leaves nothing unrecorded.
     */
    private void recordCreatedDirectories(Path state) throws IOException {
        List<String> created = new ArrayList<>();
        Path record = state.resolve(CREATED_DIRECTORIES);
        Files.write(record, created);
        for (String directory : config.privateDirectories()) {
            List<Path> missing = new ArrayList<>();
            for (Path path = Path.of(directory); path != null && !Files.exists(path); path = path.getParent()) {
                missing.addFirst(path);
            }
            for (Path path : missing) {
                Files.createDirectory(path);
                created.add(path.toString());
                Files.write(record, created);
            }
        }
    }

    private void createMountNamespace(Side.Role role) throws IOException {
        Side side = side(role);
        Path file = stateDirectory(config.name()).resolve(role.name().toLowerCase() + ".mnt");
        Files.createFile(file);
        StringBuilder script = new StringBuilder("set -e\n");
        for (String directory : config.privateDirectories()) {
            script.append("mount -t tmpfs -o mode=0755 dpuvirt-").append(role.shortName()).append(' ').append(directory).append('\n');
        }
        // a marker a process can read to tell which machine it is on
        script.append("echo ").append(role.shortName()).append(" > /run/dpuvirt-side\n");
        Commands.run(List.of("unshare", "--mount=" + file, "--propagation", "private", "sh", "-c", script.toString()))
                .orThrow();
        if (!side.run("cat", "/run/dpuvirt-side").stdout().strip().equals(role.shortName())) {
            throw new IOException("the " + role.shortName() + " mount namespace did not come up");
        }
    }

    /**
     * Removes the bed {@code name}: kills every process left in its namespaces, releases the mount namespaces,
     * deletes the network namespaces (and with them the veth pair) and the directories it created. Idempotent.
     */
    public static void down(String name) throws IOException {
        try (java.nio.channels.FileChannel lock = lock()) {
            downLocked(name);
        }
    }

    private static void downLocked(String name) throws IOException {
        TestBedConfig config = TestBedConfig.named(name);
        List<String> problems = new ArrayList<>();
        for (Side.Role role : Side.Role.values()) {
            String namespace = config.namespace(role);
            if (!Files.exists(Path.of("/run/netns", namespace))) {
                continue;
            }
            killAll(namespace, problems);
        }
        Path state = stateDirectory(name);
        for (Side.Role role : Side.Role.values()) {
            Path mountFile = state.resolve(role.name().toLowerCase() + ".mnt");
            if (Files.exists(mountFile)) {
                Commands.run("umount", mountFile.toString()); // not mounted when up failed half-way
                Files.deleteIfExists(mountFile);
            }
            String namespace = config.namespace(role);
            if (Files.exists(Path.of("/run/netns", namespace))) {
                collect(problems, Commands.run("ip", "netns", "del", namespace));
            }
        }
        // a veth whose move into a namespace failed is still in the root namespace
        if (Commands.run("ip", "link", "show", config.vethName(Side.Role.HOST)).succeeded()) {
            collect(problems, Commands.run("ip", "link", "del", config.vethName(Side.Role.HOST)));
        }
        handOverCreatedDirectories(state.resolve(CREATED_DIRECTORIES));
        Files.deleteIfExists(state);
        releaseStateRootIfUnused();
        if (!problems.isEmpty()) {
            throw new IOException("test bed '" + name + "' not fully removed: " + String.join("; ", problems));
        }
    }

    /**
     * Directories a bed created stay while any bed is up: another bed may have its tmpfs mounted on them, and
     * removing a mount point detaches that mount in every namespace. So a bed going down hands its list to the
     * state root, and the last bed removes them all.
     */
    private static void handOverCreatedDirectories(Path created) throws IOException {
        if (Files.exists(created)) {
            Files.write(STATE_ROOT.resolve(CREATED_DIRECTORIES), Files.readAllLines(created),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Files.delete(created);
        }
    }

    /** The last bed to go removes the directories beds created and the private bind mount of the state root. */
    private static void releaseStateRootIfUnused() throws IOException {
        if (!Files.isDirectory(STATE_ROOT)) {
            return;
        }
        Path created = STATE_ROOT.resolve(CREATED_DIRECTORIES);
        try (Stream<Path> beds = Files.list(STATE_ROOT)) {
            if (beds.anyMatch(p -> !p.equals(created))) {
                return;
            }
        }
        if (Files.exists(created)) {
            for (String directory : Files.readAllLines(created).reversed()) {
                removeIfEmpty(Path.of(directory));
            }
            Files.delete(created);
        }
        if (Commands.run("mountpoint", "-q", STATE_ROOT.toString()).succeeded()) {
            Commands.check("umount", STATE_ROOT.toString());
        }
        Files.deleteIfExists(STATE_ROOT);
    }

    private static void removeIfEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(directory);
            }
        } catch (java.nio.file.NoSuchFileException ignored) {
            // already gone
        }
    }

    /** SIGKILL to every process in the namespace, then waits (up to 5 s) until none is left. */
    private static void killAll(String namespace, List<String> problems) throws IOException {
        String identity = "net:[" + Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino") + "]";
        for (int attempt = 0; attempt < 50; attempt++) {
            List<Integer> pids = Commands.run("ip", "netns", "pids", namespace).stdout().lines()
                    .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
            if (pids.isEmpty()) {
                return;
            }
            pids.forEach(pid -> killIfIn(pid, identity));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while emptying " + namespace, e);
            }
        }
        problems.add("processes still in " + namespace);
    }

    /**
     * SIGKILL to {@code pid} through a pidfd, only if the process the pidfd holds is in the namespace: one listed that
     * ended since may have had its number reused by an unrelated process, which must not be hit.
     */
    private static void killIfIn(int pid, String namespaceIdentity) {
        int pidfd;
        try {
            pidfd = ProcessCalls.openPidfd(pid);
        } catch (LinuxException e) {
            return; // gone
        }
        try {
            // read after the pidfd is open: if the pid was reused since, its new holder is what /proc shows, and the
            // pidfd's process is dead already (the signal then finds nobody)
            if (Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "net")).toString().equals(namespaceIdentity)) {
                SignalCalls.sendSignal(pidfd, Signals.SIGKILL);
            }
        } catch (IOException e) {
            // gone meanwhile
        } finally {
            Libc.close(pidfd);
        }
    }

    private static void collect(List<String> problems, CommandResult result) {
        if (!result.succeeded()) {
            problems.add(new io.dpuvirt.common.exec.CommandException(result).getMessage());
        }
    }

    private static void requireTools() throws IOException {
        for (String tool : List.of("ip", "nsenter", "unshare", "mount", "umount", "mountpoint")) {
            if (!Commands.run("sh", "-c", "command -v " + tool).succeeded()) {
                throw new IOException("the test bed needs '" + tool + "' (Debian packages iproute2 and util-linux)");
            }
        }
        if (ProcessHandle.current().info().user().map(u -> !u.equals("root")).orElse(false)) {
            throw new IOException("the test bed needs root (network and mount namespaces)");
        }
    }

    /** Same as {@link #down(String)} for this bed. */
    @Override
    public void close() throws IOException {
        down(config.name());
    }
}
