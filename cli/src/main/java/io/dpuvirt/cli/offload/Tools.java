package io.dpuvirt.cli.offload;

import java.nio.file.Files;
import java.nio.file.Path;

/** dpuvirt's own tools in bin/, found through {@code dpuvirt.home}, which the launchers in bin/ set. */
final class Tools {
    static final String HOME_PROPERTY = "dpuvirt.home";

    private Tools() {
    }

    /** The launcher of {@code tool} ({@code bin/udsproxyd}…), which must exist. */
    static Path bin(String tool) throws OffloadException {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null) {
            throw new OffloadException("cannot find dpuvirt's tools: the system property " + HOME_PROPERTY
                    + " is not set (run dpuvirt through its launcher, bin/dpuvirt)");
        }
        Path launcher = Path.of(home, "bin", tool);
        if (!Files.isExecutable(launcher)) {
            throw new OffloadException("cannot find dpuvirt's " + tool + ": " + launcher + " is not an executable file");
        }
        return launcher;
    }
}
