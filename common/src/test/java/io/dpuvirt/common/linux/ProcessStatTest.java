package io.dpuvirt.common.linux;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessStatTest {
    /** Above any pid_max (2^22): no process and no group has it. */
    private static final int NO_SUCH_NUMBER = 4_194_400;

    @Test
    void readsThisProcessItsGroupAndSession() throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        ProcessStat stat = ProcessStat.read(pid).orElseThrow();
        // /proc/self/stat's fifth and sixth fields, read the plain way
        String line = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        assertThat(stat.processGroup()).isEqualTo(Integer.parseInt(fields[2]));
        assertThat(stat.session()).isEqualTo(Integer.parseInt(fields[3]));
        assertThat(stat.ended()).isFalse();
    }

    @Test
    void aGroupHasLiveMembersWhileAProcessIsInIt() {
        int ownGroup = ProcessStat.read((int) ProcessHandle.current().pid()).orElseThrow().processGroup();
        assertThat(ProcessStat.groupHasLiveMembers(ownGroup)).isTrue();
        assertThat(ProcessStat.groupHasLiveMembers(NO_SUCH_NUMBER)).isFalse();
        assertThat(ProcessStat.read(NO_SUCH_NUMBER)).isEmpty();
    }
}
