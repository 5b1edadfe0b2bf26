package io.dpuvirt.systest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project and its tools are, and where a test may write its logs. */
final class Project {
    static final Path HOME = Path.of(System.getProperty("dpuvirt.home", "..")).toAbsolutePath().normalize();
    static final Path UDSTOOL = HOME.resolve("systest/src/test/resources/udstool.py");

    private Project() {
    }

    static String bin(String tool) {
        return HOME.resolve("bin").resolve(tool).toString();
    }

    /** A fresh directory for one test's logs, kept after the run for reading. */
    static Path logDirectory(String test) throws java.io.IOException {
        Path directory = HOME.resolve("systest/target/logs").resolve(test);
        if (Files.exists(directory)) {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(directory);
    }
}
