package io.dpuvirt.cli.virsh;

import org.junit.jupiter.api.Test;

import static io.dpuvirt.cli.virsh.VirshRun.NO_DAEMON;
import static org.assertj.core.api.Assertions.assertThat;

/** How virsh runs its commands and what its exit status says, as Debian's virsh 9.0 does it. */
class VirshTest {
    private static final String CANNOT_CONNECT = """
            error: failed to connect to the hypervisor
            error: Failed to connect socket to '/nonexistent/virtd-sock': No such file or directory
            """;

    @Test
    void quitAndExitSucceed() {
        assertThat(VirshRun.run(NO_DAEMON, "dominfo nosuch; quit")).isEqualTo(new VirshRun(0, "\n", CANNOT_CONNECT));
        assertThat(VirshRun.run(NO_DAEMON, "dominfo nosuch; exit").status()).isZero();
        assertThat(VirshRun.run(NO_DAEMON, "quit")).isEqualTo(new VirshRun(0, "", ""));
        assertThat(VirshRun.run(NO_DAEMON, "uri; dominfo nosuch").status()).as("the last command's").isEqualTo(1);
    }

    @Test
    void theShellExitsWithZeroWhateverItsCommandsDid() {
        assertThat(VirshRun.shell(NO_DAEMON, false, false, "dominfo nosuch\n")).isEqualTo(new VirshRun(0, "\n", CANNOT_CONNECT));
        assertThat(VirshRun.shell(NO_DAEMON, false, false, "nosuchcommand\n"))
                .isEqualTo(new VirshRun(0, "", "error: unknown command: 'nosuchcommand'\n"));
        assertThat(VirshRun.shell(NO_DAEMON, false, false, "list \\\n").status()).isZero();
    }

    @Test
    void theWelcomeIsForATerminalAndNotWhenQuiet() {
        assertThat(VirshRun.shell(NO_DAEMON, false, true, "").out()).startsWith("Welcome to virsh").endsWith("virsh # ");
        assertThat(VirshRun.shell(NO_DAEMON, true, true, "").out()).isEqualTo("virsh # ");
        assertThat(VirshRun.shell(NO_DAEMON, false, false, "").out()).isEmpty();
    }
}
