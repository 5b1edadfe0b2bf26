package io.dpuvirt.cli.virsh;

import org.junit.jupiter.api.Test;

import static io.dpuvirt.cli.virsh.VirshRun.NO_DAEMON;
import static org.assertj.core.api.Assertions.assertThat;

/** list's options that exclude each other, with Debian's virsh 9.0's messages, order and exit status. */
class ListCommandTest {
    @Test
    void aTableHasNoRoomForBareNamesUuidsOrIds() {
        assertThat(VirshRun.run(NO_DAEMON, "list --table --uuid"))
                .isEqualTo(new VirshRun(1, "\n", "error: Options --table and --uuid are mutually exclusive\n"));
        assertThat(VirshRun.run(NO_DAEMON, "list --table --title --uuid").err())
                .isEqualTo("error: Options --table and --uuid are mutually exclusive\n");
        assertThat(VirshRun.run(NO_DAEMON, "list --table --id --uuid").err()).as("--uuid before --id")
                .isEqualTo("error: Options --table and --uuid are mutually exclusive\n");
        assertThat(VirshRun.run(NO_DAEMON, "list --table --uuid --name").err()).as("--name before --uuid")
                .isEqualTo("error: Options --table and --name are mutually exclusive\n");
        assertThat(VirshRun.run(NO_DAEMON, "list --table --id").err())
                .isEqualTo("error: Options --table and --id are mutually exclusive\n");
    }
}
