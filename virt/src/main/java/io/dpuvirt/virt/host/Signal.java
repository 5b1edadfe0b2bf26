package io.dpuvirt.virt.host;

/** The signals drivers send, with Linux's numbers. */
public enum Signal {
    HUP(1), INT(2), KILL(9), TERM(15), CONT(18), STOP(19);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
