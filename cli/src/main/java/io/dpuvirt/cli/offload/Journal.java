package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The state of a running {@code up}: every change is recorded, and the state file saved, before the change is made. */
final class Journal {
    private final StateStore store;
    private ProfileState state;

    private Journal(StateStore store, ProfileState state) {
        this.store = store;
        this.state = state;
    }

    /**
     * Continues the state an earlier {@code up} left, or starts one (saved at once). {@code createdDirectories} are the
     * levels of the state file's directory this {@code up} made (outermost first), recorded so that {@code down}
     * removes them again, also when the state is another {@code up}'s, which found them made and took the lock first.
     */
    static Journal open(StateStore store, String profile, Side side, List<Path> createdDirectories)
            throws IOException, ConfigException {
        Optional<ProfileState> earlier = store.load();
        if (earlier.isPresent() && (earlier.get().side() != side || !earlier.get().profile().equals(profile))) {
            throw new ConfigException(store.file(), 0, "records " + earlier.get().profile() + " on the "
                    + earlier.get().side() + ", not " + profile + " on the " + side);
        }
        ProfileState state = withLevels(earlier.orElse(new ProfileState(profile, side, List.of())), createdDirectories, store);
        if (!Optional.of(state).equals(earlier)) {
            store.save(state);
        }
        return new Journal(store, state);
    }

    /**
     * {@code state} with {@code levels} of the state file's directory recorded first, among those recorded already,
     * outermost first: {@code down} removes them last, innermost first. Two first-time ups may each have made some.
     */
    private static ProfileState withLevels(ProfileState state, List<Path> levels, StateStore store) {
        List<Path> allLevels = new ArrayList<>(levels);
        List<Change> rest = new ArrayList<>();
        for (Change change : state.changes()) {
            if (change instanceof Change.CreatedDirectory directory && store.liesIn(directory.path())) {
                allLevels.add(directory.path());
            } else {
                rest.add(change);
            }
        }
        List<Change> changes = new ArrayList<>();
        allLevels.stream().distinct().sorted(Comparator.comparingInt(Path::getNameCount))
                .forEach(level -> changes.add(new Change.CreatedDirectory(level)));
        changes.addAll(rest);
        return new ProfileState(state.profile(), state.side(), changes);
    }

    /** Records {@code change} and saves the state at once: call it before making the change. */
    void record(Change change) throws IOException {
        state = state.with(change);
        store.save(state);
    }

    ProfileState state() {
        return state;
    }
}
