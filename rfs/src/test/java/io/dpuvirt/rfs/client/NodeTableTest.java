package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.wire.Attr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeTableTest {
    private static Attr file(long ino) {
        return new Attr(ino, 0, 0, 0, 0, 0, 0, 0, 0, Attr.S_IFREG | 0644, 1, 0, 0, 0, 0, 4096, 7);
    }

    private static Attr directory(long ino) {
        return new Attr(ino, 0, 0, 0, 0, 0, 0, 0, 0, Attr.S_IFDIR | 0755, 2, 0, 0, 0, 0, 4096, 7);
    }

    private final NodeTable nodes = new NodeTable(directory(2));

    @Test
    void theSameInodeKeepsItsIdAndAReplacedOneGetsANewId() {
        long first = nodes.found("a", file(10));
        assertThat(nodes.found("a", file(10))).isEqualTo(first);
        long replaced = nodes.found("a", file(11));
        assertThat(replaced).isNotEqualTo(first);
        assertThat(nodes.path(replaced)).isEqualTo("a");
        assertThat(nodes.path(first)).isNull();
    }

    @Test
    void hardLinksAreOneNodeWithTwoNames() {
        long a = nodes.found("a", file(10));
        long b = nodes.found("b", file(10));
        assertThat(b).isEqualTo(a);
        nodes.removed("a");
        assertThat(nodes.path(a)).isEqualTo("b");
    }

    /** A file renamed on the HOST (a log rotated) and looked up by its new name: requests go to the new name. */
    @Test
    void theNameTheHostConfirmedLastIsTheOneRequestsUse() {
        long log = nodes.found("app.log", file(10));
        assertThat(nodes.found("app.log.1", file(10))).isEqualTo(log);
        assertThat(nodes.path(log)).isEqualTo("app.log.1");
        nodes.found("app.log", file(10)); // the old name again (a hard link after all)
        assertThat(nodes.path(log)).isEqualTo("app.log");
    }

    @Test
    void renamingADirectoryMovesEverythingBelowIt() {
        nodes.found("d", directory(20));
        long child = nodes.found("d/sub/f", file(21));
        nodes.renamed("d", "e", false);
        assertThat(nodes.path(child)).isEqualTo("e/sub/f");
    }

    @Test
    void anExchangeSwapsBothSubtrees() {
        long d = nodes.found("d", directory(20));
        long inD = nodes.found("d/x", file(21));
        long e = nodes.found("e", directory(30));
        long inE = nodes.found("e/x", file(31));
        nodes.renamed("d", "e", true);
        assertThat(nodes.path(d)).isEqualTo("e");
        assertThat(nodes.path(inD)).isEqualTo("e/x");
        assertThat(nodes.path(e)).isEqualTo("d");
        assertThat(nodes.path(inE)).isEqualTo("d/x");
    }

    @Test
    void aRenameOverAFileDropsTheReplacedName() {
        long moving = nodes.found("a", file(10));
        long replaced = nodes.found("b", file(11));
        nodes.renamed("a", "b", false);
        assertThat(nodes.path(moving)).isEqualTo("b");
        assertThat(nodes.path(replaced)).isNull();
    }

    @Test
    void aForgottenNodeIsGoneAndTheRootStays() {
        long a = nodes.found("a", file(10));
        nodes.forget(a, 1);
        assertThat(nodes.path(a)).isNull();
        nodes.forget(NodeTable.ROOT, 5);
        assertThat(nodes.path(NodeTable.ROOT)).isEqualTo("");
    }
}
