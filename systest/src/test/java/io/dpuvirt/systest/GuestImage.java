package io.dpuvirt.systest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The small guest of scripts/guest-image (Debian's cloud kernel, a busybox initramfs that prints
 * {@code DPUVIRT-GUEST-UP} on ttyS0, powers off with {@code dpuvirt.poweroff} and on the ACPI power button),
 * and libvirt domains that boot it under TCG.
 */
final class GuestImage {
    static final String FIRST_LINE = "DPUVIRT-GUEST-UP";
    private static Path directory;

    private GuestImage() {
    }

    static synchronized Path directory() throws IOException, InterruptedException {
        if (directory == null) {
            Process script = new ProcessBuilder(Project.HOME.resolve("scripts/guest-image").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!script.waitFor(5, TimeUnit.MINUTES) || script.exitValue() != 0) {
                throw new AssertionError("scripts/guest-image failed: " + out);
            }
            directory = Path.of(out.lines().reduce((first, last) -> last).orElseThrow());
        }
        return directory;
    }

    /**
     * A TCG domain booting the guest: {@code memoryMiB}, {@code vcpus}, {@code cputune} (XML or empty), extra kernel
     * parameters; its serial port is its console.
     */
    static String domain(String name, int memoryMiB, int vcpus, String cputune, String kernelParameters)
            throws IOException, InterruptedException {
        return domain(name, memoryMiB, vcpus, cputune, kernelParameters, directory());
    }

    /** The same, with the kernel and initramfs in {@code dir} (a copy of {@link #directory()}'s, e.g. on the HOST). */
    static String domain(String name, int memoryMiB, int vcpus, String cputune, String kernelParameters, Path dir) {
        return """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>%d</memory>
                  <vcpu>%d</vcpu>
                  %s
                  <os>
                    <type arch='x86_64'>hvm</type>
                    <kernel>%s</kernel>
                    <initrd>%s</initrd>
                    <cmdline>console=ttyS0 panic=-1 quiet %s</cmdline>
                  </os>
                  <features><acpi/></features>
                  <devices>
                    <serial type='pty'><target port='0'/></serial>
                    <console type='pty'><target type='serial' port='0'/></console>
                  </devices>
                </domain>
                """.formatted(name, memoryMiB, vcpus, cputune, dir.resolve("vmlinuz"), dir.resolve("initramfs.gz"),
                kernelParameters);
    }
}
