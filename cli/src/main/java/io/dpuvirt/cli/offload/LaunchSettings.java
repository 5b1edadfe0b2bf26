package io.dpuvirt.cli.offload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a daemon runs with: its command line, the settings it reads from a configuration file only when it starts
 * (virtd's {@code [host]} keys in virtd.conf), and what the link's key file held then (udsproxyd and virtd read the key
 * when they start). Its pid file records them for the process it names, so that {@code up} knows whether a running
 * daemon has the settings it would start one with: a daemon that has not is restarted.
 *
 * @param readAtStart each a key of a file that must hold a value, as {@code up} sets it
 * @param key         the link's key file and its fingerprint, for a daemon that reads it
 */
record LaunchSettings(List<String> argv, List<SettingRequirement> readAtStart, Optional<KeyFingerprint> key) {
    LaunchSettings {
        argv = List.copyOf(argv);
        readAtStart = List.copyOf(readAtStart);
        Objects.requireNonNull(key, "key");
    }

    /** A daemon that reads no key. */
    LaunchSettings(List<String> argv, List<SettingRequirement> readAtStart) {
        this(argv, readAtStart, Optional.empty());
    }

    /**
     * What differs in these from the settings a daemon was started with, in a sentence ("its command line was '…', now
     * '…'", "[host] udsproxyd of /etc/dpuvirt/virtd.conf was A, now B", "F holds another key than the one it started
     * with"); empty when nothing does. {@code before} is empty when its pid file does not record them.
     */
    Optional<String> changedFrom(Optional<LaunchSettings> before) {
        if (before.isEmpty()) {
            return Optional.of("its pid file does not record the settings it was started with (an earlier dpuvirt wrote it,"
                    + " or a hand changed it)");
        }
        List<String> changes = new ArrayList<>();
        if (!argv.equals(before.get().argv)) {
            changes.add("its command line was '" + String.join(" ", before.get().argv) + "', now '" + String.join(" ", argv) + "'");
        }
        for (SettingRequirement setting : readAtStart) {
            Optional<String> was = valueOf(before.get().readAtStart, setting);
            if (!was.equals(Optional.of(setting.value()))) {
                changes.add(setting.place() + " was " + was.orElse("not set") + ", now " + setting.value());
            }
        }
        for (SettingRequirement setting : before.get().readAtStart) {
            if (valueOf(readAtStart, setting).isEmpty()) {
                changes.add(setting.place() + " was " + setting.value() + ", which up no longer sets");
            }
        }
        key.flatMap(now -> keyChangedFrom(before.get().key, now)).ifPresent(changes::add);
        return changes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", changes));
    }

    /**
     * Whether the daemon holds another key than {@code now}. Only the content counts: a change of the file's path is
     * named with the command line or the setting that gives it.
     */
    private static Optional<String> keyChangedFrom(Optional<KeyFingerprint> was, KeyFingerprint now) {
        if (was.isEmpty()) {
            return Optional.of("its pid file does not record which key it was started with (an earlier dpuvirt wrote it)");
        }
        return was.get().sha256().equals(now.sha256()) ? Optional.empty()
                : Optional.of(now.file() + " holds another key than the one it started with");
    }

    /** The value {@code settings} give the key {@code like} names (same file, section and key). */
    private static Optional<String> valueOf(List<SettingRequirement> settings, SettingRequirement like) {
        return settings.stream().filter(setting -> setting.file().equals(like.file()) && setting.section().equals(like.section())
                && setting.key().equals(like.key())).map(SettingRequirement::value).findFirst();
    }
}
