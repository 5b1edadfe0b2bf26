package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.wire.DirEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class KnownNamesTest {
    private final KnownNames known = new KnownNames(CacheTimes.defaults());

    private static List<DirEntry> entries(String... names) {
        List<DirEntry> entries = new ArrayList<>();
        for (String name : names) {
            entries.add(new DirEntry(1, 8, name));
        }
        return entries;
    }

    @Test
    void aListedDirectoryAnswersForTheNamesItDoesNotHoldWithTheValidityLeft() {
        long token = known.fetching("d");
        known.listed("d", entries("a", "b"), token);
        assertThat(known.absent("d", "c")).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(known.absent("d", "a")).isZero();
        assertThat(known.absent("elsewhere", "c")).as("never listed").isZero();
        assertThat(known.absent("d", "é".repeat(128))).as("too long: the HOST says so").isZero();
        assertThat(known.absent("d", "é".repeat(127))).isPositive();
    }

    @Test
    void namesMadeAndRemovedHereCountAtOnce() {
        known.made("d", System.nanoTime());
        assertThat(known.absent("d", "x")).isPositive();
        known.added("d/x");
        assertThat(known.absent("d", "x")).isZero();
        known.removed("d/x");
        assertThat(known.absent("d", "x")).isPositive();
    }

    @Test
    void changesMadeWhileAListingIsInFlightApplyToIt() {
        long token = known.fetching("d");
        known.added("d/new");
        known.removed("d/old");
        known.listed("d", entries("old"), token); // read on the HOST before both changes
        assertThat(known.absent("d", "new")).isZero();
        assertThat(known.absent("d", "old")).isPositive();
    }

    @Test
    void aRenameForgetsEverythingAlsoListingsInFlight() {
        known.made("d", System.nanoTime());
        long token = known.fetching("e");
        known.forgetAll();
        known.listed("e", entries(), token);
        assertThat(known.absent("d", "x")).isZero();
        assertThat(known.absent("e", "x")).isZero();
    }

    @Test
    void anOlderListingDoesNotReplaceANewerOneAndAFailedOneIsDropped() {
        long older = known.fetching("d");
        long newer = known.fetching("d");
        known.listed("d", entries(), older);
        assertThat(known.absent("d", "x")).isZero();
        known.listed("d", entries(), newer);
        assertThat(known.absent("d", "x")).isPositive();
        long failed = known.fetching("e");
        known.abandoned("e", failed);
        assertThat(known.absent("e", "x")).isZero();
    }

    @Test
    void aDirectoryTooLargeIsNotKept() {
        long token = known.fetching("d");
        known.listed("d", IntStream.rangeClosed(0, KnownNames.MAX_NAMES).mapToObj(i -> new DirEntry(i, 8, "n" + i)).toList(), token);
        assertThat(known.absent("d", "x")).isZero();
    }

    @Test
    void expiredNamesAreFetchedAgainOnlyAfterARunOfCreates() throws Exception {
        KnownNames brief = new KnownNames(new CacheTimes(Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(20)));
        brief.made("busy", System.nanoTime());
        brief.made("quiet", System.nanoTime());
        IntStream.range(0, 20).forEach(i -> brief.absent("busy", "f" + i));
        brief.absent("quiet", "f");
        assertThat(brief.worthFetching("busy")).as("still valid").isFalse();
        Thread.sleep(30);
        assertThat(brief.absent("busy", "g")).as("expired").isZero();
        assertThat(brief.worthFetching("busy")).isTrue();
        assertThat(brief.worthFetching("quiet")).isFalse();
        long token = brief.fetching("busy");
        assertThat(brief.worthFetching("busy")).as("already on its way").isFalse();
        brief.listed("busy", entries("f1"), token);
        assertThat(brief.absent("busy", "g")).isPositive();
    }

    @Test
    void noValidityKeepsNothing() {
        KnownNames none = new KnownNames(new CacheTimes(Duration.ZERO, Duration.ZERO, Duration.ZERO));
        none.made("d", System.nanoTime());
        assertThat(none.absent("d", "x")).isZero();
    }
}
