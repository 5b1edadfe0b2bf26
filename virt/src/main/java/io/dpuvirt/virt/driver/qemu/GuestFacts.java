package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.host.ProcessId;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What finds a running guest again after a daemon restart, kept in its running-state file: the
 * hypervisor's pid with its start time (so that a reused pid is not taken for it), its private directory
 * (the monitor and console sockets) and its log.
 */
record GuestFacts(ProcessId process, GuestFiles files) {
    private static final String PID = "pid";
    private static final String START_TIME = "start-time";
    private static final String DIRECTORY = "directory";
    private static final String LOG = "log";

    GuestFacts {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(files, "files");
    }

    static GuestFacts of(ProcessId process, GuestFiles files) {
        return new GuestFacts(process, files);
    }

    Map<String, String> asMap() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(PID, Integer.toString(process.pid()));
        facts.put(START_TIME, Long.toString(process.startTime()));
        facts.put(DIRECTORY, files.directory().toString());
        facts.put(LOG, files.log().toString());
        return facts;
    }

    /** @throws IllegalArgumentException naming the fact that is missing or wrong */
    static GuestFacts parse(Map<String, String> facts) {
        try {
            return new GuestFacts(new ProcessId(Integer.parseInt(required(facts, PID)),
                    Long.parseLong(required(facts, START_TIME))),
                    new GuestFiles(Path.of(required(facts, DIRECTORY)), Path.of(required(facts, LOG))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid number in the guest's facts " + facts + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> facts, String key) {
        String value = facts.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the guest's facts lack '" + key + "': " + facts);
        }
        return value;
    }
}
