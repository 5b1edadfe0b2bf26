package io.dpuvirt.rpc.wire;

/** {@code virErrorLevel}. */
public enum ErrorLevel {
    NONE(0),
    WARNING(1),
    ERROR(2);

    private final int code;

    ErrorLevel(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
