package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;
import io.dpuvirt.virt.conf.xml.SourcePosition;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with a domain document: where (source name, line and column, element path,
 * attribute) and what. {@link #toString()} reads like a compiler message:
 * {@code domain.xml:14: element 'disk' attribute 'type': unsupported value 'nfs' (expected file or block)}.
 */
public record ConfigProblem(String source, SourcePosition position, ElementPath path, Optional<String> attribute,
                            String detail) {
    public ConfigProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(detail, "detail");
    }

    /** A problem with the document as a whole (size, DOCTYPE, well-formedness). */
    public static ConfigProblem ofDocument(String source, SourcePosition position, String detail) {
        return new ConfigProblem(source, position, ElementPath.ROOT, Optional.empty(), detail);
    }

    @Override
    public String toString() {
        StringBuilder message = new StringBuilder(source);
        if (position.isKnown()) {
            message.append(':').append(position.line());
        }
        message.append(": ");
        if (!path.isRoot()) {
            message.append("element '").append(path.elementName()).append("' ");
            attribute.ifPresent(a -> message.append("attribute '").append(a).append("' "));
            message.setLength(message.length() - 1);
            message.append(": ");
        }
        return message.append(detail).toString();
    }
}
