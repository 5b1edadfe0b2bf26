package io.dpuvirt.cli.offload;

/** What {@code check} found for one requirement: met or not, and a sentence saying precisely what. */
record Finding(boolean met, String text) {
    static Finding met(String text) {
        return new Finding(true, text);
    }

    static Finding missing(String text) {
        return new Finding(false, text);
    }
}
