package io.dpuvirt.common.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.dpuvirt.common.linux.Inotify.IN_CREATE;
import static io.dpuvirt.common.linux.Inotify.IN_DELETE;
import static io.dpuvirt.common.linux.Inotify.IN_IGNORED;
import static io.dpuvirt.common.linux.Inotify.IN_ISDIR;
import static org.assertj.core.api.Assertions.assertThat;

class InotifyTest {
    @TempDir
    Path dir;

    @Test
    void reportsEveryEventOfOneReadWithItsNameAndKind() throws Exception {
        try (Inotify inotify = Inotify.open()) {
            int watch = inotify.watch(dir, IN_CREATE | IN_DELETE);
            assertThat(inotify.await(0)).isEmpty();
            Files.createDirectory(dir.resolve("sub"));
            Files.createFile(dir.resolve("a-rather-long-name-that-needs-padding.sock"));
            Files.delete(dir.resolve("sub"));
            List<Inotify.Event> events = awaitCount(inotify, 3);
            assertThat(events).extracting(Inotify.Event::name)
                    .containsExactly("sub", "a-rather-long-name-that-needs-padding.sock", "sub");
            assertThat(events).allMatch(e -> e.watch() == watch);
            assertThat(events.get(0).is(IN_CREATE) && events.get(0).is(IN_ISDIR)).isTrue();
            assertThat(events.get(1).is(IN_CREATE) && !events.get(1).is(IN_ISDIR)).isTrue();
            assertThat(events.get(2).is(IN_DELETE) && events.get(2).is(IN_ISDIR)).isTrue();

            inotify.unwatch(watch);
            assertThat(awaitCount(inotify, 1)).singleElement().satisfies(e -> assertThat(e.is(IN_IGNORED)).isTrue());
            inotify.unwatch(watch); // ended already: no error
        }
    }

    @Test
    void watchingAgainReturnsTheSameWatch() throws Exception {
        try (Inotify inotify = Inotify.open()) {
            Files.createSymbolicLink(dir.resolve("link"), dir);
            assertThat(inotify.watch(dir.resolve("link"), IN_CREATE)).isEqualTo(inotify.watch(dir, IN_CREATE));
        }
    }

    private static List<Inotify.Event> awaitCount(Inotify inotify, int count) throws LinuxException {
        List<Inotify.Event> events = new ArrayList<>();
        while (events.size() < count) {
            List<Inotify.Event> more = inotify.await(10_000);
            assertThat(more).as("events so far: " + events).isNotEmpty();
            events.addAll(more);
        }
        return events;
    }
}
