package io.dpuvirt.virt.conf.xml;

import java.util.Objects;

/** Character data inside a preserved fragment, unescaped. */
public record XmlText(String text) implements XmlNode {
    public XmlText {
        Objects.requireNonNull(text, "text");
    }

    boolean isBlank() {
        return text.isBlank();
    }
}
