package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.virt.host.ProcessId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A daemon's pid file ({@code /run/dpuvirt/offload/NAME.pid}): {@code PID START-TIME}, the start time being field 22
 * of /proc/PID/stat, so that a pid the kernel has since given to another process is never taken for the daemon; then
 * the settings it was started with ({@link LaunchSettings}), as {@link LineFields}: {@code argv ARG…},
 * {@code setting FILE SECTION KEY VALUE} for each it reads at its start, and {@code key FILE SHA256} for the link's key
 * it reads. They are written with the pid, atomically, before its program runs, so they are the running process's own:
 * neither a guess from /proc/PID/cmdline (the launchers in bin/ exec a JVM with options of their own) nor from
 * configuration files that may have changed since. The file is root's alone (0600): the key's fingerprint would let a
 * guessed weak key be tested.
 */
record PidFile(String name, Path file) {
    private static final String ARGV = "argv", SETTING = "setting", KEY = "key";
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");

    /** The pid file of daemon {@code name} in {@code directory}. */
    static PidFile of(Path directory, String name) {
        return new PidFile(name, directory.resolve(name + ".pid"));
    }

    void write(ProcessId process, LaunchSettings settings) throws IOException {
        StringBuilder text = new StringBuilder(process.pid() + " " + process.startTime() + "\n");
        List<String> argv = new ArrayList<>(List.of(ARGV));
        argv.addAll(settings.argv());
        text.append(LineFields.render(argv)).append('\n');
        for (SettingRequirement setting : settings.readAtStart()) {
            text.append(LineFields.render(List.of(SETTING, setting.file().toString(), setting.section(), setting.key(),
                    setting.value()))).append('\n');
        }
        settings.key().ifPresent(key ->
                text.append(LineFields.render(List.of(KEY, key.file().toString(), key.sha256()))).append('\n'));
        // made 0600 before it gets its content, and renamed into place: an earlier 0644 file is replaced, not rewritten
        AtomicFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8), MODE);
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Whether the daemon the file names runs, with what settings, and a sentence saying so or saying precisely why not. */
    Status status() {
        List<String> lines;
        try {
            lines = Files.readString(file, StandardCharsets.UTF_8).strip().lines().toList();
        } catch (NoSuchFileException e) {
            return notRunning("no pid file " + file);
        } catch (AccessDeniedException e) {
            return new Status(Optional.empty(), Optional.empty(), "whether " + name + " runs cannot be told: its pid file "
                    + file + " is root's alone (run check as root)");
        } catch (IOException e) {
            return notRunning("cannot read its pid file " + file + ": " + e.getMessage());
        }
        String first = lines.isEmpty() ? "" : lines.getFirst();
        if (!first.matches("[1-9][0-9]{0,9} [0-9]{1,19}")) {
            return notRunning("its pid file " + file + " holds '" + first + "', not 'PID START-TIME'");
        }
        String[] fields = first.split(" ");
        ProcessId process = new ProcessId(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
        Optional<ProcessStat> stat = ProcessStat.read(process.pid());
        String names = "pid file " + file + " names pid " + process.pid() + ", which ";
        if (stat.isEmpty()) {
            return notRunning(names + "is gone");
        }
        if (stat.get().startTime() != process.startTime()) {
            return notRunning(names + "is another process now (started at " + stat.get().startTime() + ", not "
                    + process.startTime() + ")");
        }
        if (stat.get().ended()) {
            return notRunning(names + "has ended");
        }
        return new Status(Optional.of(process), settings(lines.subList(1, lines.size())), name + " runs (pid " + process.pid() + ")");
    }

    /** The settings the lines after the pid record; empty when they do not say (an earlier dpuvirt wrote only the pid). */
    private Optional<LaunchSettings> settings(List<String> lines) {
        List<String> argv = null;
        List<SettingRequirement> readAtStart = new ArrayList<>();
        Optional<KeyFingerprint> key = Optional.empty();
        try {
            for (int i = 0; i < lines.size(); i++) {
                List<String> fields = LineFields.parse(file, i + 2, lines.get(i));
                switch (fields.getFirst()) {
                    case ARGV -> argv = fields.subList(1, fields.size());
                    case SETTING -> {
                        if (fields.size() != 5) {
                            return Optional.empty();
                        }
                        readAtStart.add(new SettingRequirement(Path.of(fields.get(1)), fields.get(2), fields.get(3), fields.get(4)));
                    }
                    case KEY -> {
                        if (fields.size() != 3 || !KeyFingerprint.isHexSha256(fields.get(2))) {
                            return Optional.empty();
                        }
                        key = Optional.of(new KeyFingerprint(Path.of(fields.get(1)), fields.get(2)));
                    }
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        } catch (ConfigException e) {
            return Optional.empty();
        }
        return argv == null ? Optional.empty() : Optional.of(new LaunchSettings(argv, readAtStart, key));
    }

    private Status notRunning(String why) {
        return new Status(Optional.empty(), Optional.empty(), name + " is not running (" + why + ")");
    }

    /**
     * The daemon, if it runs, the settings it was started with if its pid file says, and a sentence about it.
     */
    record Status(Optional<ProcessId> process, Optional<LaunchSettings> startedWith, String text) {
    }
}
