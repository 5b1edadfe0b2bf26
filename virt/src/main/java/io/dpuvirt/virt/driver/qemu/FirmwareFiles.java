package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.OsConfig;
import io.dpuvirt.virt.host.Host;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A UEFI guest's own variable store: {@code <nvram>} must exist before the guest starts, so the first start
 * copies it from its {@code template}, as libvirt does. Without a template the file must already be there.
 */
final class FirmwareFiles {
    private FirmwareFiles() {
    }

    static void prepare(OsConfig os, Host host) throws IOException {
        if (os.nvram().isEmpty()) {
            return;
        }
        OsConfig.Nvram nvram = os.nvram().get();
        Path path = Path.of(nvram.path());
        if (host.exists(path)) {
            return;
        }
        if (nvram.template().isEmpty()) {
            throw new IOException("the UEFI variable store " + path + " does not exist and <nvram> names no template");
        }
        Path template = Path.of(nvram.template().get());
        host.createDirectories(path.getParent());
        host.writeFile(path, host.readFile(template), PosixFilePermissions.fromString("rw-------"));
    }
}
