package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A domain document that cannot be accepted: unreadable, unsafe, outside the model or invalid. Carries
 * one or more {@link ConfigProblem}s; the message lists them, one a line.
 */
public final class DomainXmlException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public DomainXmlException(ConfigProblem problem) {
        this(List.of(problem), null);
    }

    public DomainXmlException(ConfigProblem problem, Throwable cause) {
        this(List.of(problem), cause);
    }

    public DomainXmlException(List<ConfigProblem> problems) {
        this(problems, null);
    }

    private DomainXmlException(List<ConfigProblem> problems, Throwable cause) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an exception needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The first problem's line, 0 when unknown. */
    public int line() {
        return problems.getFirst().position().line();
    }

    public int column() {
        return problems.getFirst().position().column();
    }

    public ElementPath elementPath() {
        return problems.getFirst().path();
    }

    public Optional<String> attribute() {
        return problems.getFirst().attribute();
    }
}
