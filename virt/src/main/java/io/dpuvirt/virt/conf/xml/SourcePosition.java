package io.dpuvirt.virt.conf.xml;

/** Line and column (both 1-based) of an element in its document; {@link #UNKNOWN} when it has none. */
public record SourcePosition(int line, int column) {
    public static final SourcePosition UNKNOWN = new SourcePosition(0, 0);

    public boolean isKnown() {
        return line > 0;
    }
}
