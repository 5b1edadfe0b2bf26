package io.dpuvirt.fabric.udsproxy;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The schedule against a clock the test moves. */
class RescanScheduleTest {
    private long now = 1_000_000_000L;
    private final RescanSchedule schedule = new RescanSchedule(() -> now);

    @Test
    void theFirstScanIsDueAtOnceThenThePeriodDependsOnWhetherEverythingIsWatched() {
        assertThat(schedule.isDue()).isTrue();
        schedule.scanned(path -> false, true);
        assertThat(schedule.isDue()).isFalse();
        assertThat(schedule.millisUntilDue()).isEqualTo(RescanSchedule.WATCHED_INTERVAL.toMillis());
        schedule.scanned(path -> false, false);
        assertThat(schedule.millisUntilDue()).isEqualTo(RescanSchedule.UNWATCHED_INTERVAL.toMillis());
        now += RescanSchedule.UNWATCHED_INTERVAL.toNanos();
        assertThat(schedule.isDue()).isTrue();
        assertThat(schedule.millisUntilDue()).isZero();
    }

    @Test
    void aFileThatIsNotListeningYetIsScannedForAgainAfter1To40Milliseconds() {
        schedule.scanned(path -> false, true);
        schedule.changed(Set.of("/run/x.sock"));
        assertThat(schedule.isDue()).isTrue();
        for (long retry : new long[] {1, 2, 5, 10, 20, 40}) {
            schedule.scanned(path -> false, true);
            assertThat(schedule.millisUntilDue()).isEqualTo(retry);
            now += retry * 1_000_000;
        }
        schedule.scanned(path -> false, true);
        assertThat(schedule.millisUntilDue()).as("then the periodic scan").isEqualTo(250);
    }

    @Test
    void retriesStopOnceEveryNewFileListensAndStartAgainWithTheNextChange() {
        schedule.changed(Set.of("/run/a.sock", "/run/b.sock"));
        schedule.scanned("/run/a.sock"::equals, true);
        assertThat(schedule.millisUntilDue()).isEqualTo(1);
        now += 1_000_000;
        schedule.scanned(path -> false, true);
        assertThat(schedule.millisUntilDue()).isEqualTo(2);
        schedule.changed(Set.of("/run/c.sock"));
        schedule.scanned(path -> false, true);
        assertThat(schedule.millisUntilDue()).as("a new change starts the retries again").isEqualTo(1);
        schedule.scanned(path -> true, true);
        assertThat(schedule.millisUntilDue()).isEqualTo(250);
    }

    @Test
    void aRemovalAsksForOneScan() {
        schedule.scanned(path -> false, true);
        schedule.changed(Set.of());
        assertThat(schedule.isDue()).isTrue();
        schedule.scanned(path -> false, true);
        assertThat(schedule.millisUntilDue()).isEqualTo(250);
    }
}
