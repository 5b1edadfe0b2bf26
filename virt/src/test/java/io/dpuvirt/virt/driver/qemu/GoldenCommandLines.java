package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.DomainDefaults;
import io.dpuvirt.virt.conf.DomainXmlParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Command lines compared with files under {@code src/test/resources/cmdline}, one argument a line. The files
 * were checked by hand against the hypervisor's documentation; {@code -Ddpuvirt.golden.update=true} rewrites
 * them from the code, to be read again before they are committed.
 */
public final class GoldenCommandLines {
    private static final Path SOURCE = Path.of("src/test/resources/cmdline");

    private GoldenCommandLines() {
    }

    /** {@code domain} (a resource under domains/) with libvirt's defaults filled in reproducibly. */
    public static DomainConfig domain(String resource) {
        try (InputStream in = GoldenCommandLines.class.getResourceAsStream("/domains/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource domains/" + resource);
            }
            DomainConfig parsed = new DomainXmlParser().parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .config();
            return new DomainDefaults(new SplittableRandom(4)).apply(parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plan of {@code config} as domain 7 under the root {@code /srv/dpuvirt}. */
    public static LaunchPlan plan(DomainConfig config, String driver, String emulator, Accelerator accelerator) {
        GuestFiles files = GuestFiles.of(Path.of("/srv/dpuvirt"), driver, 7, config.name());
        return new LaunchPlan(config, 7, emulator, accelerator, files, CharDevicePlan.of(config, files));
    }

    public static void assertMatches(List<String> argv, String golden) throws IOException {
        Path file = SOURCE.resolve(golden);
        String actual = String.join("\n", argv) + "\n";
        if (Boolean.getBoolean("dpuvirt.golden.update")) {
            Files.writeString(file, actual);
        }
        assertThat(actual).as("command line against " + file).isEqualTo(Files.readString(file));
    }
}
