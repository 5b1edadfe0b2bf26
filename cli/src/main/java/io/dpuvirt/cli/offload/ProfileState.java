package io.dpuvirt.cli.offload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What {@code up} of one profile changed on one side, in the order it changed it. */
public record ProfileState(String profile, Side side, List<Change> changes) {
    public ProfileState {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(side, "side");
        changes = List.copyOf(changes);
    }

    public ProfileState with(Change change) {
        List<Change> more = new ArrayList<>(changes);
        more.add(change);
        return new ProfileState(profile, side, more);
    }

    /** This state without its last change (the one {@code down} undid). */
    public ProfileState withoutLast() {
        return new ProfileState(profile, side, changes.subList(0, changes.size() - 1));
    }

    /** Whether a {@link Change.StartedService} for {@code name} is recorded. */
    public boolean started(String name) {
        return changes.stream().anyMatch(change -> change instanceof Change.StartedService service && service.name().equals(name));
    }
}
