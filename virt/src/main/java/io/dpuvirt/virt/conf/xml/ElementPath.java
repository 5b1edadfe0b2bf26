package io.dpuvirt.virt.conf.xml;

import java.util.Objects;

/**
 * Where an element is in its document, written as in {@code /domain/devices/disk[2]/target}: a step
 * carries a 1-based index only when its parent has more than one child of that name. The parser and
 * the validator build paths the same way, so a path names the same element for both.
 */
public record ElementPath(String value) {
    public static final ElementPath ROOT = new ElementPath("");

    public ElementPath {
        Objects.requireNonNull(value, "value");
    }

    public ElementPath child(String name) {
        return new ElementPath(value + "/" + name);
    }

    /** The step to the {@code index}-th (0-based) of {@code count} same-named children. */
    public ElementPath child(String name, int index, int count) {
        return count > 1 ? new ElementPath(value + "/" + name + "[" + (index + 1) + "]") : child(name);
    }

    public boolean isRoot() {
        return value.isEmpty();
    }

    public ElementPath parent() {
        return new ElementPath(value.substring(0, Math.max(0, value.lastIndexOf('/'))));
    }

    /** The element's name, without the index. */
    public String elementName() {
        String last = value.substring(value.lastIndexOf('/') + 1);
        int bracket = last.indexOf('[');
        return bracket < 0 ? last : last.substring(0, bracket);
    }

    /** This path relative to {@code ancestor}, empty when both are the same. */
    public String relativeTo(ElementPath ancestor) {
        if (value.equals(ancestor.value)) {
            return "";
        }
        if (!value.startsWith(ancestor.value + "/")) {
            throw new IllegalArgumentException(value + " is not below " + ancestor.value);
        }
        return value.substring(ancestor.value.length() + 1);
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "/" : value;
    }
}
