package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;
import io.dpuvirt.virt.conf.xml.SourcePosition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects validation problems, placing each at the line of its element (or of the nearest ancestor
 * that was in the document).
 */
public final class ProblemReport {
    private final SourcePositions positions;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public ProblemReport(SourcePositions positions) {
        this.positions = positions;
    }

    public void add(ElementPath element, String detail) {
        problems.add(new ConfigProblem(positions.source(), positions.of(element), element, Optional.empty(), detail));
    }

    public void add(ElementPath element, String attribute, String detail) {
        problems.add(new ConfigProblem(positions.source(), positions.of(element), element, Optional.of(attribute),
                detail));
    }

    /** {@code path}, and its line when known, to name another element in a message. */
    public String describe(ElementPath element) {
        SourcePosition position = positions.of(element);
        return position.isKnown() && positions.byPath().containsKey(element)
                ? element + " (line " + position.line() + ")" : element.toString();
    }

    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }
}
