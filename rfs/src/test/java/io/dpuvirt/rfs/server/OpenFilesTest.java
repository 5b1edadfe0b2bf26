package io.dpuvirt.rfs.server;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import org.junit.jupiter.api.Test;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A handle names a file of its own connection only: one of a connection before (a link that came back) is EBADF. */
class OpenFilesTest {
    @Test
    void aHandleOfAnotherConnectionIsUnknownNotAnotherFile() throws Exception {
        try (OpenFiles before = new OpenFiles(); OpenFiles now = new OpenFiles()) {
            long old = before.add(Libc.open("/dev/null", O_RDONLY | O_CLOEXEC, 0), O_RDONLY, false);
            long current = now.add(Libc.open("/dev/zero", O_RDONLY | O_CLOEXEC, 0), O_RDONLY, false);
            assertThat(current).isNotEqualTo(old).isPositive();
            assertThat(now.get(current)).isNotNull();
            assertThatThrownBy(() -> now.get(old)).isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
        }
    }
}
