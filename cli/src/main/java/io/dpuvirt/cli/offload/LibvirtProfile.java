package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.daemon.VirtdConfig;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.RexecServerConfig;
import io.dpuvirt.fabric.udsproxy.UdsproxyConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Seed 000, libvirt offload: virtd (the management plane) on the DPU, the guests on the HOST. What each side needs,
 * in the order {@code up} makes it so: directories and whitelists first, then the link (udsproxyd), then the daemons
 * that need the link: on the HOST rexec_server, which starts the guests; on the DPU, once the HOST's rexec_server is
 * mirrored (the link works end to end), virtd, which reaches the HOST's rexec_server and the guests' sockets by
 * dialing the HOST's udsproxyd itself with the link's key.
 */
final class LibvirtProfile {
    static final String NAME = "libvirt";
    /** Guests' run directories (monitor and console sockets) on the HOST, mirrored on the DPU. */
    static final Path GUEST_RUN = Path.of("/var/lib/dpuvirt");
    /** Guests' logs, and the logs of the daemons this profile starts. */
    static final Path LOGS = Path.of("/var/log/dpuvirt");
    static final Path REXEC_RUN = Path.of("/var/run/rexec");
    static final Path REXEC_SOCKET = RexecClient.DEFAULT_SOCKET;
    static final Path VIRTD_CONF = Path.of("/etc/dpuvirt/virtd.conf");
    static final String EMULATOR = "qemu-system-x86_64";
    static final List<Path> EMULATOR_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"));
    /** Firmware templates and option ROMs virtd reads on the HOST. */
    static final List<Path> FIRMWARE = List.of(Path.of("/usr/share/OVMF"), Path.of("/usr/share/qemu"));
    static final Duration DAEMON_READY = Duration.ofSeconds(15);
    static final Duration LINK_WAIT = Duration.ofSeconds(15);
    static final Duration MIRROR_WAIT = Duration.ofSeconds(15);
    static final Duration VIRTD_READY = Duration.ofSeconds(30);
    private static final Path UDSPROXYD_STATUS = UdsproxyConfig.DEFAULT_RUN_DIRECTORY.resolve("udsproxyd.sock");

    private LibvirtProfile() {
    }

    static Path udsproxydStatusSocket() {
        return UDSPROXYD_STATUS;
    }

    /** What {@code settings.side()} needs, in order; {@code pidDirectory} holds the daemons' pid files. */
    static List<Requirement> requirements(OffloadSettings settings, Path pidDirectory) throws OffloadException {
        List<Requirement> requirements = new ArrayList<>(List.of(
                new DirectoryRequirement(GUEST_RUN, "guests' run directories"),
                new DirectoryRequirement(LOGS, "guests' and daemons' logs"),
                new DirectoryRequirement(REXEC_RUN, "rexec_server's socket"),
                new WhitelistRequirement(Whitelist.DEFAULT_FILE, Whitelist.Section.UDSCONNECT, GUEST_RUN, UDSPROXYD_STATUS),
                new WhitelistRequirement(Whitelist.DEFAULT_FILE, Whitelist.Section.UDSCONNECT, REXEC_RUN, UDSPROXYD_STATUS)));
        Side other = settings.side().other();
        Optional<KeyFingerprint> key = linkKey(settings); // read once: each daemon of the side records it
        if (settings.side() == Side.HOST) {
            for (Path emulator : emulators(settings)) {
                requirements.add(new ProgramRequirement(RexecServerConfig.DEFAULT_WHITELIST, emulator));
            }
            requirements.add(service(udsproxyd(settings, key), pidDirectory));
            requirements.add(new LinkRequirement(UDSPROXYD_STATUS, other, Duration.ZERO));
            requirements.add(service(rexecServer(), pidDirectory));
        } else {
            List<SettingRequirement> virtdConf = virtdConf(settings);
            requirements.addAll(virtdConf);
            requirements.add(service(udsproxyd(settings, key), pidDirectory));
            requirements.add(new LinkRequirement(UDSPROXYD_STATUS, other, LINK_WAIT));
            requirements.add(new MirrorRequirement(REXEC_SOCKET, "rexec_server", other, UDSPROXYD_STATUS, MIRROR_WAIT));
            requirements.add(service(virtd(settings, virtdConf, key), pidDirectory));
        }
        return requirements;
    }

    /** What virtd.conf must set; virtd reads it only when it starts. */
    private static List<SettingRequirement> virtdConf(OffloadSettings settings) {
        List<SettingRequirement> virtdConf = new ArrayList<>(List.of(
                new SettingRequirement(VIRTD_CONF, "host", "guests", "remote"),
                new SettingRequirement(VIRTD_CONF, "host", "rexec_socket", REXEC_SOCKET.toString())));
        // virtd dials the HOST's udsproxyd itself with the link's key: one relay less each way than the mirrors
        if (settings.link().isPresent()) {
            LinkSettings link = settings.link().get();
            virtdConf.add(new SettingRequirement(VIRTD_CONF, "host", "udsproxyd", link.peerUdsproxyd()));
            virtdConf.add(new SettingRequirement(VIRTD_CONF, "host", "link_key", link.key().toAbsolutePath().toString()));
        }
        return virtdConf;
    }

    /** The fingerprint of the link's key file, when the link is configured. */
    private static Optional<KeyFingerprint> linkKey(OffloadSettings settings) throws OffloadException {
        return settings.link().isPresent() ? Optional.of(KeyFingerprint.of(settings.link().get().key())) : Optional.empty();
    }

    private static ServiceRequirement service(Service service, Path pidDirectory) {
        return new ServiceRequirement(service, pidDirectory, LOGS);
    }

    /** {@code udsproxyd --key FILE [--vsock] 1 LOCAL PORT PEER PORT}; not known without the link settings. */
    private static Service udsproxyd(OffloadSettings settings, Optional<KeyFingerprint> key) throws OffloadException {
        Optional<LaunchSettings> launch = Optional.empty();
        if (settings.link().isPresent()) {
            launch = Optional.of(udsproxydLaunch(Tools.bin("udsproxyd"), settings.link().get(), key.orElseThrow()));
        }
        return new Service("udsproxyd", launch, List.of(UdsproxyConfig.DEFAULT_RUN_DIRECTORY),
                new Readiness("answering on its status socket " + UDSPROXYD_STATUS, UDSPROXYD_STATUS,
                        () -> UdsproxydLink.ask(UDSPROXYD_STATUS).answered(), DAEMON_READY));
    }

    /** What {@code launcher} (udsproxyd's) is started with for {@code link}, the key it reads ({@code key}) included. */
    static LaunchSettings udsproxydLaunch(Path launcher, LinkSettings link, KeyFingerprint key) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString(), "--key", link.key().toString()));
        if (link.vsock()) {
            argv.add("--vsock");
        }
        argv.addAll(List.of("1", link.local(), Integer.toString(link.port()), link.peer(), Integer.toString(link.port())));
        return new LaunchSettings(argv, List.of(), Optional.of(key));
    }

    /**
     * File requests of virtd may change the guests' run directories and logs (virtd makes a guest's directory and log
     * there), detached guests' output go to the logs, and the firmware templates be read (UEFI nvram copies).
     */
    private static Service rexecServer() throws OffloadException {
        List<String> argv = new ArrayList<>(List.of(Tools.bin("rexec_server").toString(), "--state-dir", GUEST_RUN.toString(),
                "--state-dir", LOGS.toString(), "--output-dir", LOGS.toString()));
        for (Path firmware : FIRMWARE) {
            argv.addAll(List.of("--readable", firmware.toString()));
        }
        return new Service("rexec_server", Optional.of(new LaunchSettings(argv, List.of())), List.of(),
                new Readiness("listening on " + REXEC_SOCKET, REXEC_SOCKET, () -> SocketProbe.listening(REXEC_SOCKET), DAEMON_READY));
    }

    /**
     * virtd reads /etc/dpuvirt/virtd.conf when it starts, and the link's key it names: its guests run on the HOST,
     * reached through the HOST's udsproxyd. Without the link settings, what it must read is not known in full.
     */
    private static Service virtd(OffloadSettings settings, List<SettingRequirement> virtdConf, Optional<KeyFingerprint> key)
            throws OffloadException {
        Path socket = VirtdConfig.DEFAULT_SOCKET;
        Optional<LaunchSettings> launch = Optional.empty();
        if (settings.link().isPresent()) {
            launch = Optional.of(new LaunchSettings(List.of(Tools.bin("virtd").toString()), virtdConf, key));
        }
        return new Service("virtd", launch, List.of(socket.getParent()),
                new Readiness("accepting connections on " + socket, socket, () -> SocketProbe.accepts(socket), VIRTD_READY));
    }

    /** The emulators named, else the canonical {@value #EMULATOR} of /usr/bin or /usr/local/bin. */
    private static List<Path> emulators(OffloadSettings settings) {
        if (!settings.emulators().isEmpty()) {
            return settings.emulators();
        }
        for (Path directory : EMULATOR_DIRECTORIES) {
            Path candidate = directory.resolve(EMULATOR);
            if (Files.isExecutable(candidate)) {
                return List.of(candidate);
            }
        }
        return List.of(EMULATOR_DIRECTORIES.getFirst().resolve(EMULATOR)); // missing: its requirement says so
    }
}
