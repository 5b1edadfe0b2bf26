package io.dpuvirt.common.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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

    @Test
    void aProcessWhoseNameIsNotUtf8IsReadAllTheSame(@TempDir Path dir) throws Exception {
        // a program file named by two bytes that are not UTF-8: the kernel's command name is those bytes
        Process process = new ProcessBuilder("sh", "-c", "name=\"$1/$(printf '\\344\\344')\"; cp /bin/sleep \"$name\" && exec \"$name\" 30",
                "sh", dir.toString()).start();
        try {
            Path comm = Path.of("/proc", Long.toString(process.pid()), "comm");
            byte[] renamed = {(byte) 0344, (byte) 0344, '\n'};
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Arrays.equals(Files.readAllBytes(comm), renamed) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(Files.readAllBytes(comm)).isEqualTo(renamed);
            assertThat(ProcessStat.read((int) process.pid())).isPresent();
            assertThat(ProcessStat.groupHasLiveMembers(ProcessStat.read((int) process.pid()).orElseThrow().processGroup())).isTrue();
        } finally {
            process.destroyForcibly().waitFor();
        }
    }
}
