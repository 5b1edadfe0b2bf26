package io.dpuvirt.cli;

import io.dpuvirt.cli.VirshOptionReader.Found;
import io.dpuvirt.cli.virsh.VirshException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** virsh's options before its command, each case as Debian's virsh 9.0 reads it. */
class VirshOptionReaderTest {
    /** The options read from {@code words} ("CONNECT=uri", "QUIET"), then "|" and the command's words. */
    private static List<String> read(String... words) throws VirshException {
        VirshOptionReader reader = new VirshOptionReader(words);
        List<String> read = new ArrayList<>();
        for (Optional<Found> found = reader.next(); found.isPresent(); found = reader.next()) {
            read.add(found.get().option() + found.get().value().map(v -> "=" + v).orElse(""));
        }
        read.add("|");
        read.addAll(reader.command());
        return read;
    }

    @Test
    void flagsBundleAndAValueMayFollowItsLetterInTheSameWord() throws Exception {
        assertThat(read("-rq", "-c", "test:///default", "list")).containsExactly("READONLY", "QUIET", "CONNECT=test:///default", "|", "list");
        assertThat(read("-ctest:///default", "uri")).containsExactly("CONNECT=test:///default", "|", "uri");
        assertThat(read("-rqctest:///default", "uri")).containsExactly("READONLY", "QUIET", "CONNECT=test:///default", "|", "uri");
    }

    @Test
    void aLongOptionTakesItsValueAfterAnEqualsSignOrInTheNextWordAndMayBeShortened() throws Exception {
        assertThat(read("--escape=^a", "--connect", "test:///default", "uri")).containsExactly("ESCAPE=^a", "CONNECT=test:///default", "|", "uri");
        assertThat(read("--con", "test:///default", "--re", "uri")).containsExactly("CONNECT=test:///default", "READONLY", "|", "uri");
        assertThat(read("--connect=", "uri")).containsExactly("CONNECT=", "|", "uri");
        assertThat(read("--version=long")).containsExactly("VERSION=long", "|");
    }

    @Test
    void theOptionsEndAtTheFirstOtherWordOrAfterTwoDashes() throws Exception {
        assertThat(read("list", "-c", "x")).containsExactly("|", "list", "-c", "x");
        assertThat(read("-c", "test:///default", "--", "-x")).containsExactly("CONNECT=test:///default", "|", "-x");
        assertThat(read("-", "uri")).containsExactly("|", "-", "uri");
        assertThat(read()).containsExactly("|");
    }

    @Test
    void mistakesAreNamedAsVirshNamesThem() {
        assertThatThrownBy(() -> read("-c", "test:///default", "-l")).isInstanceOf(VirshException.class)
                .hasMessage("option '-l'/'--log' requires an argument");
        assertThatThrownBy(() -> read("--escape")).hasMessage("option '-e'/'--escape' requires an argument");
        assertThatThrownBy(() -> read("-rc")).hasMessage("option '-c'/'--connect' requires an argument");
        assertThatThrownBy(() -> read("-x")).hasMessage("unsupported option '-x'. See --help.");
        assertThatThrownBy(() -> read("-rx")).hasMessage("unsupported option '-x'. See --help.");
        assertThatThrownBy(() -> read("--foo")).hasMessage("unsupported option '--foo'. See --help.");
        assertThatThrownBy(() -> read("--k", "3", "uri")).as("ambiguous").hasMessage("unsupported option '--k'. See --help.");
        assertThatThrownBy(() -> read("--quiet=x")).hasMessage("unsupported option '-q'. See --help.");
    }
}
