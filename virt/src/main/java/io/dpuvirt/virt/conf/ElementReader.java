package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;
import io.dpuvirt.virt.conf.xml.SourceElement;
import io.dpuvirt.virt.conf.xml.XmlAttribute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one element for the parser and remembers what was read, so that whatever was not read can be
 * kept as {@link Extensions}. An element becomes either a record of its own ({@link #child},
 * {@link #children}) or a part folded into the current record ({@link #part}, {@link #parts}); the
 * unknowns of parts are kept in the record's extensions under the part's relative path.
 * <p>
 * Errors name the element, the attribute and the line: {@link #error(String, String)}.
 * <p>
 * The lookups are loops, not streams: a define runs them for every element and name, mostly before the JIT has
 * compiled them, and interpreted stream pipelines made up half of a cold define's parse.
 */
final class ElementReader {
    private final String source;
    private final SourceElement element;
    /** The element's child elements, taken once: the parser asks for each name it knows. */
    private final List<SourceElement> childElements;
    private final RecordScope scope;
    private final Set<String> readAttributes = new HashSet<>();
    private final Set<SourceElement> readChildren = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean textRead;

    /** The readers whose unknowns go into one record's extensions. */
    private static final class RecordScope {
        final ElementPath recordPath;
        final List<ElementReader> members = new ArrayList<>();

        RecordScope(ElementPath recordPath) {
            this.recordPath = recordPath;
        }
    }

    private ElementReader(String source, SourceElement element, RecordScope scope) {
        this.source = source;
        this.element = element;
        this.childElements = element.elements();
        this.scope = scope;
        scope.members.add(this);
    }

    static ElementReader record(String source, SourceElement element) {
        return new ElementReader(source, element, new RecordScope(element.path()));
    }

    ElementPath path() {
        return element.path();
    }

    // ---- attributes

    Optional<String> attribute(String name) {
        for (XmlAttribute attribute : element.attributes()) {
            if (attribute.isPlain() && attribute.localName().equals(name)) {
                readAttributes.add(name);
                return Optional.of(attribute.value());
            }
        }
        return Optional.empty();
    }

    String requiredAttribute(String name) {
        return attribute(name).orElseThrow(() -> error(name, "required attribute is missing"));
    }

    <E extends Enum<E> & XmlEnum> Optional<E> enumAttribute(String name, Class<E> type) {
        return attribute(name).map(value -> XmlEnum.fromXml(type, value).orElseThrow(() -> error(name,
                "unsupported value '" + value + "' (expected " + XmlEnum.expected(type) + ")")));
    }

    <E extends Enum<E> & XmlEnum> E requiredEnumAttribute(String name, Class<E> type) {
        requiredAttribute(name);
        return enumAttribute(name, type).orElseThrow();
    }

    /** A decimal integer within {@code [0, Integer.MAX_VALUE]}. */
    Optional<Integer> intAttribute(String name) {
        return attribute(name).map(value -> (int) parseNumber(name, value, 10, Integer.MAX_VALUE));
    }

    /** A decimal integer within {@code [0, Long.MAX_VALUE]}. */
    Optional<Long> longAttribute(String name) {
        return attribute(name).map(value -> parseNumber(name, value, 10, Long.MAX_VALUE));
    }

    /**
     * An integer written as libvirt reads addresses: {@code 0x} for hexadecimal, a leading {@code 0} for
     * octal, decimal otherwise.
     */
    Optional<Integer> addressAttribute(String name) {
        return attribute(name).map(value -> (int) parseNumber(name, value, 0, Integer.MAX_VALUE));
    }

    Optional<Boolean> yesNoAttribute(String name) {
        return switchAttribute(name, "yes", "no");
    }

    Optional<Boolean> onOffAttribute(String name) {
        return switchAttribute(name, "on", "off");
    }

    private Optional<Boolean> switchAttribute(String name, String on, String off) {
        return attribute(name).map(value -> {
            if (value.equals(on) || value.equals(off)) {
                return value.equals(on);
            }
            throw error(name, "unsupported value '" + value + "' (expected " + on + " or " + off + ")");
        });
    }

    private long parseNumber(String attribute, String value, int radix, long max) {
        long number = Numbers.parseUnsigned(value, radix)
                .orElseThrow(() -> error(attribute, "invalid value '" + value + "' (expected "
                        + (radix == 10 ? "a non-negative decimal integer" : "a non-negative integer") + ")"));
        if (number > max) {
            throw error(attribute, "value '" + value + "' is too large (at most " + max + ")");
        }
        return number;
    }

    /** A signed decimal integer, for the few attributes where libvirt allows -1 ("choose for me"). */
    Optional<Integer> signedIntAttribute(String name) {
        return attribute(name).map(value -> {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw error(name, "invalid value '" + value + "' (expected a decimal integer)");
            }
        });
    }

    /** Every plain attribute not read yet, now taken as read: for elements kept as written. */
    List<XmlAttribute> remainingAttributes() {
        List<XmlAttribute> remaining = element.attributes().stream()
                .filter(a -> a.isPlain() && !readAttributes.contains(a.localName()))
                .toList();
        remaining.forEach(a -> readAttributes.add(a.localName()));
        return remaining;
    }

    // ---- text

    Optional<String> text() {
        textRead = true;
        return element.children().isEmpty() ? Optional.empty() : Optional.of(element.text());
    }

    String requiredText() {
        return text().filter(t -> !t.isBlank()).orElseThrow(() -> error("text content is missing"));
    }

    /** Text content as a decimal number, surrounding whitespace allowed. */
    long longText() {
        String text = requiredText().strip();
        return Numbers.parseUnsigned(text, 10)
                .orElseThrow(() -> error("invalid value '" + text + "' (expected a non-negative decimal integer)"));
    }

    <E extends Enum<E> & XmlEnum> E enumText(Class<E> type) {
        String text = requiredText().strip();
        return XmlEnum.fromXml(type, text).orElseThrow(() -> error("unsupported value '" + text + "' (expected "
                + XmlEnum.expected(type) + ")"));
    }

    int intText() {
        long value = longText();
        if (value > Integer.MAX_VALUE) {
            throw error("value " + value + " is too large (at most " + Integer.MAX_VALUE + ")");
        }
        return (int) value;
    }

    // ---- children

    /** The single child {@code name}, folded into the current record. */
    Optional<ElementReader> part(String name) {
        return single(name).map(e -> new ElementReader(source, e, scope));
    }

    ElementReader requiredPart(String name) {
        return part(name).orElseThrow(() -> error("required element '" + name + "' is missing"));
    }

    /** Every child {@code name}, each folded into the current record. */
    List<ElementReader> parts(String name) {
        List<ElementReader> parts = new ArrayList<>();
        for (SourceElement found : take(name)) {
            parts.add(new ElementReader(source, found, scope));
        }
        return parts;
    }

    Optional<String> partText(String name) {
        return part(name).map(p -> p.text().orElse(""));
    }

    /** Whether the empty marker element {@code name} (such as {@code <readonly/>}) is present. */
    boolean flag(String name) {
        return part(name).isPresent();
    }

    /** The single child {@code name}, read into a record of its own. */
    Optional<ElementReader> child(String name) {
        return single(name).map(e -> record(source, e));
    }

    ElementReader requiredChild(String name) {
        return child(name).orElseThrow(() -> error("required element '" + name + "' is missing"));
    }

    /** Every child {@code name}, each read into a record of its own. */
    List<ElementReader> children(String name) {
        List<ElementReader> children = new ArrayList<>();
        for (SourceElement found : take(name)) {
            children.add(record(source, found));
        }
        return children;
    }

    private Optional<SourceElement> single(String name) {
        List<SourceElement> found = take(name);
        if (found.size() > 1) {
            throw new DomainXmlException(problem(found.get(1), Optional.empty(),
                    "may appear only once in '" + element.localName() + "'"));
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    private List<SourceElement> take(String name) {
        List<SourceElement> found = List.of();
        for (SourceElement child : childElements) {
            if (child.namespaceUri().isEmpty() && child.localName().equals(name)) {
                if (found.isEmpty()) {
                    found = new ArrayList<>(1);
                }
                found.add(child);
                readChildren.add(child);
            }
        }
        return found;
    }

    // ---- what was not read

    /** The unknowns of this record and all its parts; call once everything known has been read. */
    Extensions extensions() {
        if (scope.members.getFirst() != this) {
            throw new IllegalStateException("extensions belong to the record's own element, not to a part");
        }
        Map<String, Unknowns> byPart = new LinkedHashMap<>();
        for (ElementReader member : scope.members) {
            Unknowns unknowns = member.unknowns();
            if (!unknowns.isEmpty()) {
                byPart.put(member.path().relativeTo(scope.recordPath), unknowns);
            }
        }
        return new Extensions(byPart);
    }

    private Unknowns unknowns() {
        if (!textRead && !element.text().isBlank()) {
            throw error("unexpected text '" + element.text().strip() + "'");
        }
        List<XmlAttribute> attributes = new ArrayList<>();
        for (XmlAttribute attribute : element.attributes()) {
            if (!(attribute.isPlain() && readAttributes.contains(attribute.localName()))) {
                attributes.add(attribute);
            }
        }
        List<PreservedElement> elements = new ArrayList<>();
        String lastKnown = "";
        for (SourceElement child : childElements) {
            if (readChildren.contains(child)) {
                lastKnown = child.localName();
            } else {
                elements.add(new PreservedElement(lastKnown, child.toFragment()));
            }
        }
        return new Unknowns(element.namespaces(), attributes, elements);
    }

    // ---- errors

    DomainXmlException error(String detail) {
        return new DomainXmlException(problem(element, Optional.empty(), detail));
    }

    DomainXmlException error(String attribute, String detail) {
        return new DomainXmlException(problem(element, Optional.of(attribute), detail));
    }

    private ConfigProblem problem(SourceElement at, Optional<String> attribute, String detail) {
        return new ConfigProblem(source, at.position(), at.path(), attribute, detail);
    }
}
