package io.dpuvirt.cli.virsh;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One string split into commands and words; each case as Debian's virsh 9.0 reads it ({@code virsh -c test:///default '…'}). */
class CommandLineTest {
    @Test
    void aWordStartingWithAHashIsACommentToTheEndOfTheLine() throws Exception {
        assertThat(CommandLine.split("list # all")).isEqualTo(List.of(List.of("list")));
        assertThat(CommandLine.split("# c\nlist")).isEqualTo(List.of(List.of("list")));
        assertThat(CommandLine.split("list --name #x; uri")).as("the ; is in the comment")
                .isEqualTo(List.of(List.of("list", "--name")));
        assertThat(CommandLine.split("list --name # x; uri\nuri"))
                .isEqualTo(List.of(List.of("list", "--name"), List.of("uri")));
        assertThat(CommandLine.split("list#x")).as("within a word").isEqualTo(List.of(List.of("list#x")));
        assertThat(CommandLine.split("dominfo 'te'\"st\" # c")).isEqualTo(List.of(List.of("dominfo", "test")));
    }

    @Test
    void onlySpacesAndTabsSeparateWords() throws Exception {
        assertThat(CommandLine.split("list\t--name")).isEqualTo(List.of(List.of("list", "--name")));
        assertThat(CommandLine.split("list\r")).isEqualTo(List.of(List.of("list\r")));
        assertThat(CommandLine.split("list\f--name")).isEqualTo(List.of(List.of("list\f--name")));
        assertThat(CommandLine.split("list; ; list --name")).isEqualTo(List.of(List.of("list"), List.of("list", "--name")));
        assertThat(CommandLine.split("dominfo \"te;st\"")).isEqualTo(List.of(List.of("dominfo", "te;st")));
        assertThat(CommandLine.split("dominfo ''")).isEqualTo(List.of(List.of("dominfo", "")));
    }

    @Test
    void quotesAndBackslashes() throws Exception {
        assertThat(CommandLine.split("list 'x")).as("a single quote left open").isEqualTo(List.of(List.of("list", "x")));
        assertThat(CommandLine.split("dominfo 'a\\b'")).isEqualTo(List.of(List.of("dominfo", "a\\b")));
        assertThat(CommandLine.split("dominfo \"a\\\"b\"")).isEqualTo(List.of(List.of("dominfo", "a\"b")));
        assertThat(CommandLine.split("dominfo a\\ b")).isEqualTo(List.of(List.of("dominfo", "a b")));
        assertThat(CommandLine.split("list \\'x")).isEqualTo(List.of(List.of("list", "'x")));
        assertThatThrownBy(() -> CommandLine.split("list \"x")).hasMessage("missing \"");
    }

    @Test
    void aBackslashBeforeANewLineJoinsTheLinesAndOneAtTheEndIsAnError() throws Exception {
        assertThat(CommandLine.split("list --al\\\nl")).isEqualTo(List.of(List.of("list", "--all")));
        assertThat(CommandLine.split("list \\\n --name")).isEqualTo(List.of(List.of("list", "--name")));
        assertThatThrownBy(() -> CommandLine.split("list \\")).hasMessage("dangling \\");
    }
}
