package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.DirEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class LookAheadTest {
    private final LookAhead lookAhead = new LookAhead(CacheTimes.defaults());

    private static Attr file(long ino) {
        return new Attr(ino, 0, 0, 0, 0, 0, 0, 0, 0, Attr.S_IFREG | 0644, 1, 0, 0, 0, 0, 4096, 7);
    }

    /** A listing of "d" in an order that is not the sorted one: n09, n08, …, n00. */
    private void listDescending(int count) {
        List<DirEntry> entries = new ArrayList<>(List.of(new DirEntry(1, 4, "."), new DirEntry(1, 4, "..")));
        for (int i = count - 1; i >= 0; i--) {
            entries.add(new DirEntry(100 + i, 8, name(i)));
        }
        lookAhead.listed("d", entries);
    }

    private static String name(int i) {
        return "n%02d".formatted(i);
    }

    /** What the HOST would answer for {@code names}: each its file (inode 100 + number). */
    private static List<BatchLookups.Found> found(List<String> names) {
        return names.stream().map(n -> new BatchLookups.Found(n, 0, file(100 + Integer.parseInt(n.substring(1))))).toList();
    }

    @Test
    void aLookupThatFollowsThePreviousOneInListingOrderPlansTheNamesAfterIt() {
        listDescending(100);
        assertThat(lookAhead.plan("d", name(99))).as("the first name listed").hasSize(LookAhead.WINDOW)
                .startsWith(name(99), name(98)).endsWith(name(99 - LookAhead.WINDOW + 1));
        assertThat(lookAhead.plan("d", name(50))).as("a jump").isNull();
        assertThat(lookAhead.plan("d", name(49))).as("the next one again").startsWith(name(49), name(48));
    }

    @Test
    void sortedOrderIsFollowedToo() {
        listDescending(100);
        assertThat(lookAhead.plan("d", name(50))).as("the first name of neither order").isNull();
        assertThat(lookAhead.plan("d", name(51))).startsWith(name(51), name(52)).hasSize(100 - 51);
        assertThat(lookAhead.plan("d", name(0))).as("a jump").isNull();
        assertThat(lookAhead.plan("d", name(1))).startsWith(name(1), name(2)).hasSize(LookAhead.WINDOW);
        assertThat(lookAhead.plan("d", "unknown")).isNull();
        assertThat(lookAhead.plan("elsewhere", name(2))).as("a directory never listed").isNull();
    }

    @Test
    void answersAreHandedOutOnceButNotTheOneAskedFor() {
        listDescending(10);
        List<String> names = lookAhead.plan("d", name(9));
        lookAhead.keep("d", found(names), lookAhead.sequence());
        assertThat(lookAhead.take("d", name(9))).as("answered already").isNull();
        LookAhead.Answer answer = lookAhead.take("d", name(8));
        assertThat(answer.attr().ino()).isEqualTo(108);
        assertThat(lookAhead.remaining(answer)).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(lookAhead.take("d", name(8))).as("once").isNull();
        assertThat(lookAhead.plan("d", name(7))).as("taking counts as looking up: 7 follows 8").isNotNull();
    }

    @Test
    void noSuchNameIsKeptButOtherErrorsAreNot() {
        listDescending(10);
        lookAhead.keep("d", List.of(new BatchLookups.Found(name(9), 0, file(109)),
                new BatchLookups.Found(name(8), Errno.ENOENT, null),
                new BatchLookups.Found(name(7), Errno.EACCES, null)), lookAhead.sequence());
        assertThat(lookAhead.take("d", name(8))).isNotNull().extracting(LookAhead.Answer::attr).isNull();
        assertThat(lookAhead.take("d", name(7))).isNull();
    }

    @Test
    void answersOutliveNoValidity() {
        LookAhead none = new LookAhead(new CacheTimes(Duration.ZERO, Duration.ZERO, Duration.ZERO));
        none.keep("d", found(List.of(name(1), name(2))), none.sequence());
        assertThat(none.take("d", name(2))).isNull();
    }

    /** Keeps answers as a look-ahead would, after the answer to the name asked (which is not kept). */
    private void keep(String directory, BatchLookups.Found... answers) {
        List<BatchLookups.Found> found = new ArrayList<>(List.of(new BatchLookups.Found("asked", 0, file(1))));
        found.addAll(List.of(answers));
        lookAhead.keep(directory, found, lookAhead.sequence());
    }

    @Test
    void aNameCreatedOrRemovedHereDropsItsAnswerItsDirectorysAndItsInodesOtherNames() {
        keep("", new BatchLookups.Found("x", 0, file(1)), new BatchLookups.Found("d", 0, file(2)));
        keep("d", found(List.of(name(2), name(3))).toArray(BatchLookups.Found[]::new));
        keep("e", new BatchLookups.Found("link", 0, file(102)));

        lookAhead.named("d/" + name(2), new NodeTable.Inode(7, 102));
        assertThat(lookAhead.take("d", name(2))).isNull();
        assertThat(lookAhead.take("", "d")).as("the directory's times changed").isNull();
        assertThat(lookAhead.take("e", "link")).as("another name of the removed inode").isNull();
        assertThat(lookAhead.take("d", name(3))).isNotNull();
        assertThat(lookAhead.take("", "x")).isNotNull();
    }

    @Test
    void anyOtherChangeDropsEveryAnswer() {
        lookAhead.keep("d", found(List.of(name(1), name(2), name(3))), lookAhead.sequence());
        lookAhead.changed();
        assertThat(lookAhead.take("d", name(2))).isNull();
        assertThat(lookAhead.take("d", name(3))).isNull();
    }

    @Test
    void answersOfARequestInFlightDuringAChangeAreNotKeptWhereTheChangeTouchesThem() {
        long sentAt = lookAhead.sequence();
        lookAhead.named("d/" + name(2), null);
        lookAhead.keep("d", found(List.of(name(1), name(2), name(3))), sentAt);
        assertThat(lookAhead.take("d", name(2))).isNull();
        assertThat(lookAhead.take("d", name(3))).isNotNull();

        sentAt = lookAhead.sequence();
        lookAhead.changed();
        lookAhead.keep("d", found(List.of(name(1), name(2), name(3))), sentAt);
        assertThat(lookAhead.take("d", name(3))).isNull();
    }

    @Test
    void whenTooManyChangesWereMadeMeanwhileNothingIsKept() {
        long sentAt = lookAhead.sequence();
        IntStream.range(0, 2000).forEach(i -> lookAhead.named("elsewhere/" + i, null));
        lookAhead.keep("d", found(List.of(name(1), name(2))), sentAt);
        assertThat(lookAhead.take("d", name(2))).isNull();
    }
}
