package io.dpuvirt.virt.conf;

import java.util.Objects;

/** A configuration as parsed, with where its elements stood in the document for later messages. */
public record ParsedDomain(DomainConfig config, SourcePositions positions) {
    public ParsedDomain {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(positions, "positions");
    }
}
