package io.dpuvirt.cli.virsh;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.dpuvirt.cli.virsh.OptionSpec.flag;
import static io.dpuvirt.cli.virsh.OptionSpec.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A command's words against its options, with Debian's virsh 9.0's messages for what does not fit. */
class OptionsTest {
    private static final List<OptionSpec> DOMINFO = List.of(required("domain"));
    private static final List<OptionSpec> LIST = List.of(flag("all"));

    @Test
    void wordsThatDoNotFitAreRefusedAsVirshRefusesThem() {
        assertThatThrownBy(() -> Options.parse("list", LIST, List.of("--all=yes"))).hasMessage("invalid '=' after option --all");
        assertThatThrownBy(() -> Options.parse("list", LIST, List.of("--all", "--all"))).hasMessage("option --all already seen");
        assertThatThrownBy(() -> Options.parse("dominfo", DOMINFO, List.of("test", "--domain", "test")))
                .hasMessage("option --domain already seen");
        assertThatThrownBy(() -> Options.parse("dominfo", DOMINFO, List.of("--domain", "test", "--domain=test")))
                .hasMessage("option --domain already seen");
        assertThatThrownBy(() -> Options.parse("dominfo", DOMINFO, List.of("")))
                .hasMessage("Failed to get option 'domain': Option argument is empty");
        assertThatThrownBy(() -> Options.parse("list", LIST, List.of("--foo=bar"))).hasMessage("command 'list' doesn't support option --foo");
        assertThatThrownBy(() -> Options.parse("dominfo", DOMINFO, List.of("--domain", "test", "test"))).hasMessage("unexpected data 'test'");
    }

    @Test
    void wordsThatFitAreTaken() throws Exception {
        assertThat(Options.parse("dominfo", DOMINFO, List.of("--domain=test")).required("domain")).isEqualTo("test");
        assertThat(Options.parse("list", LIST, List.of("--all")).flag("all")).isTrue();
    }
}
