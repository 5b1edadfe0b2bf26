package io.dpuvirt.virt.conf.xml;

import java.util.Objects;

/** A namespace declaration: {@code xmlns:prefix="uri"}, or the default namespace when the prefix is empty. */
public record XmlNamespace(String prefix, String uri) {
    public XmlNamespace {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(uri, "uri");
    }
}
