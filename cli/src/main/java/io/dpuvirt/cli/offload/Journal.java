package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The state of a running {@code up}: every change is recorded, and the state file saved, before the change is made. */
final class Journal {
    private final StateStore store;
    private ProfileState state;

    private Journal(StateStore store, ProfileState state) {
        this.store = store;
        this.state = state;
    }

    /**
     * Continues the state an earlier {@code up} left, or starts one. {@code createdDirectories} are the levels of the
     * state file's directory this {@code up} made (outermost first), recorded so that {@code down} removes them again.
     */
    static Journal open(StateStore store, String profile, Side side, List<Path> createdDirectories)
            throws IOException, ConfigException {
        ProfileState earlier = store.load().orElse(null);
        if (earlier != null) {
            if (earlier.side() != side || !earlier.profile().equals(profile)) {
                throw new ConfigException(store.file(), 0, "records " + earlier.profile() + " on the "
                        + earlier.side() + ", not " + profile + " on the " + side);
            }
            return new Journal(store, earlier);
        }
        ProfileState fresh = new ProfileState(profile, side, List.of());
        for (Path directory : createdDirectories) {
            fresh = fresh.with(new Change.CreatedDirectory(directory));
        }
        Journal journal = new Journal(store, fresh);
        store.save(fresh);
        return journal;
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
