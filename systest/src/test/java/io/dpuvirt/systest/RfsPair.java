package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The HOST's engine and rfs mounts on the DPU of a test bed, with their key, whitelist and logs; cleaned up on close. */
final class RfsPair implements AutoCloseable {
    static final int PORT = 12900;

    private final TestBed bed;
    private final Path logs;
    private final Path key;
    private final List<String> mountPoints = new ArrayList<>();
    private Process engine;
    private int engineStarts;

    RfsPair(TestBed bed, Path logs) throws IOException {
        this.bed = bed;
        this.logs = logs;
        this.key = ProxyPair.writeKey(logs.resolve("link.key"));
    }

    /** Writes the HOST's {@code /etc/qtfs/whitelist} (mode 0600). */
    void whitelist(String content) throws IOException {
        bed.host().shell("mkdir -p /etc/qtfs && cat > /etc/qtfs/whitelist <<'END'\n" + content + "END\nchmod 600 /etc/qtfs/whitelist");
    }

    /** A whitelist giving every section to each of {@code directories}. */
    static String allowAll(String... directories) {
        String paths = String.join(";", directories);
        StringBuilder content = new StringBuilder();
        for (String section : List.of("Mount", "Open", "Read", "Write", "Readdir", "Mkdir", "Rmdir", "Create", "Unlink",
                "Rename", "Setattr", "Setxattr")) {
            content.append('[').append(section).append("]\nPath=").append(paths).append('\n');
        }
        return content.toString();
    }

    /** Starts the engine on the HOST and waits for its "ready". */
    void startEngine() throws IOException {
        Path log = logs.resolve("engine-" + ++engineStarts + ".log");
        List<String> command = List.of(Project.bin("engine"), "--key", key.toString(), bed.host().address(), String.valueOf(PORT));
        engine = bed.host().processBuilder(command).redirectError(log.toFile()).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return output.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            if (!"ready".equals(line.get(30, TimeUnit.SECONDS))) {
                throw new IOException("engine did not start (log " + log + ")");
            }
        } catch (Exception e) {
            engine.destroyForcibly();
            throw new IOException("engine did not start (log " + log + ")", e);
        }
    }

    /** The engine's pid (nsenter and the launcher exec it: the started process is the JVM). */
    long enginePid() {
        return engine.pid();
    }

    void killEngine() throws InterruptedException {
        engine.destroyForcibly();
        engine.waitFor(10, TimeUnit.SECONDS);
    }

    /** {@code bin/mount.qtfs HOSTPATH MOUNTPOINT -o peer=…,key=…,log=…[,OPTIONS]} on the DPU. */
    CommandResult mount(String hostPath, String mountPoint, String... options) throws IOException {
        List<String> all = new ArrayList<>(List.of("peer=" + bed.host().address() + ":" + PORT, "key=" + key,
                "log=" + logs.resolve("mount" + mountPoint.replace('/', '-') + ".log")));
        all.addAll(List.of(options));
        bed.dpu().run("mkdir", "-p", mountPoint).orThrow();
        CommandResult result = bed.dpu().run(Duration.ofSeconds(60), Project.bin("mount.qtfs"), hostPath, mountPoint, "-o", String.join(",", all));
        if (result.succeeded()) {
            mountPoints.add(mountPoint);
        }
        return result;
    }

    /** The pid of the FUSE daemon serving {@code mountPoint} (in the DPU's namespaces). */
    long daemonPid(String mountPoint) throws IOException {
        for (String line : bed.dpu().run("ps", "-eww", "-o", "pid=,args=").stdout().lines().toList()) {
            String text = line.strip();
            if (text.contains("MountQtfsMain") && text.contains("--foreground") && text.contains(" " + mountPoint + " ")) {
                return Long.parseLong(text.substring(0, text.indexOf(' ')));
            }
        }
        throw new IOException("no mount.qtfs daemon for " + mountPoint);
    }

    /** {@code dpuPath} as this process reaches it: through the daemon's root, inside the DPU's mount namespace. */
    Path onDpu(String mountPoint, String dpuPath) throws IOException {
        return Path.of("/proc/" + daemonPid(mountPoint) + "/root" + dpuPath);
    }

    Side host() {
        return bed.host();
    }

    Side dpu() {
        return bed.dpu();
    }

    Path logs() {
        return logs;
    }

    @Override
    public void close() throws IOException {
        for (String mountPoint : mountPoints) {
            bed.dpu().run("umount", "-l", mountPoint);
        }
        if (engine != null) {
            engine.destroyForcibly();
        }
    }
}
