package io.dpuvirt.virt.conf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes XML the way libvirt does, so that {@code virsh dumpxml} output is byte for byte what users and their
 * scripts know: attribute values in single quotes ({@code <domain type='kvm'>}), the five special characters
 * escaped in text and attributes alike ({@code &lt; &gt; &amp; &apos; &quot;}, as libvirt's virBufferEscapeString),
 * no XML declaration. StAX writers cannot do the first. Only what {@link XmlOutput} needs; not thread-safe.
 */
final class XmlEmitter {
    private final Writer out;
    private final Deque<String> open = new ArrayDeque<>();
    private boolean tagPending;
    private boolean pendingEmpty;

    XmlEmitter(Writer out) {
        this.out = out;
    }

    /** Starts an element; its namespaces and attributes follow until the next content or element. */
    void startElement(String prefix, String localName, boolean empty) {
        closePendingTag();
        String name = qualified(prefix, localName);
        write("<" + name);
        tagPending = true;
        pendingEmpty = empty;
        if (!empty) {
            open.push(name);
        }
    }

    void namespace(String prefix, String uri) {
        attribute(prefix.isEmpty() ? "" : "xmlns", prefix.isEmpty() ? "xmlns" : prefix, uri);
    }

    void attribute(String prefix, String localName, String value) {
        if (!tagPending) {
            throw new IllegalStateException("attribute " + localName + " outside a start tag");
        }
        write(" " + qualified(prefix, localName) + "='" + escaped(value) + "'");
    }

    void endElement() {
        closePendingTag();
        write("</" + open.pop() + ">");
    }

    void text(String text) {
        closePendingTag();
        write(escaped(text));
    }

    /** Raw layout characters (newlines and indentation), never escaped. */
    void whitespace(String whitespace) {
        closePendingTag();
        write(whitespace);
    }

    void finish() {
        closePendingTag();
        if (!open.isEmpty()) {
            throw new IllegalStateException("elements left open: " + open);
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write domain XML", e);
        }
    }

    private void closePendingTag() {
        if (tagPending) {
            write(pendingEmpty ? "/>" : ">");
            tagPending = false;
        }
    }

    private void write(String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write domain XML", e);
        }
    }

    private static String qualified(String prefix, String localName) {
        return prefix == null || prefix.isEmpty() ? localName : prefix + ":" + localName;
    }

    static String escaped(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            String replacement = switch (text.charAt(i)) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '\'' -> "&apos;";
                case '"' -> "&quot;";
                default -> null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(text.charAt(i));
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
