package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;
import io.dpuvirt.virt.conf.xml.SourceElement;
import io.dpuvirt.virt.conf.xml.SourcePosition;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where each element of a parsed document stood, by element path. Records carry no positions (two
 * equal configurations are equal wherever they were read from); the validator looks them up here.
 */
public record SourcePositions(String source, Map<ElementPath, SourcePosition> byPath) {
    public SourcePositions {
        Objects.requireNonNull(source, "source");
        byPath = Map.copyOf(byPath);
    }

    /** Positions for a configuration that was not read from a document (built in code, or filled by defaults). */
    public static SourcePositions none(String source) {
        return new SourcePositions(source, Map.of());
    }

    public static SourcePositions of(String source, SourceElement root) {
        Map<ElementPath, SourcePosition> positions = new HashMap<>();
        collect(root, positions);
        return new SourcePositions(source, positions);
    }

    private static void collect(SourceElement element, Map<ElementPath, SourcePosition> positions) {
        positions.put(element.path(), element.position());
        element.elements().forEach(child -> collect(child, positions));
    }

    /**
     * The position of the element at {@code path}, or of its nearest ancestor that was in the document
     * (an element added by defaults has none of its own).
     */
    public SourcePosition of(ElementPath path) {
        for (ElementPath p = path; ; p = p.parent()) {
            SourcePosition position = byPath.get(p);
            if (position != null) {
                return position;
            }
            if (p.isRoot()) {
                return SourcePosition.UNKNOWN;
            }
        }
    }
}
