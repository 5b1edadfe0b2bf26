package io.dpuvirt.cli.offload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a daemon runs with: its command line, and the settings it reads from a configuration file only when it starts
 * (virtd's {@code [host]} keys in virtd.conf). Its pid file records them for the process it names, so that {@code up}
 * knows whether a running daemon has the settings it would start one with: a daemon that has not is restarted.
 *
 * @param readAtStart each a key of a file that must hold a value, as {@code up} sets it
 */
record LaunchSettings(List<String> argv, List<SettingRequirement> readAtStart) {
    LaunchSettings {
        argv = List.copyOf(argv);
        readAtStart = List.copyOf(readAtStart);
    }

    /**
     * What differs in these from the settings a daemon was started with, in a sentence ("its command line was '…', now
     * '…'", "[host] udsproxyd of /etc/dpuvirt/virtd.conf was A, now B"); empty when nothing does. {@code before} is
     * empty when its pid file does not record them.
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
        return changes.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", changes));
    }

    /** The value {@code settings} give the key {@code like} names (same file, section and key). */
    private static Optional<String> valueOf(List<SettingRequirement> settings, SettingRequirement like) {
        return settings.stream().filter(setting -> setting.file().equals(like.file()) && setting.section().equals(like.section())
                && setting.key().equals(like.key())).map(SettingRequirement::value).findFirst();
    }
}
