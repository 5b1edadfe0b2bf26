package io.dpuvirt.virt.qmp;

import java.io.IOException;

/** A monitor that could not be reached, closed, broke the protocol or did not answer in time. */
public class QmpException extends IOException {
    public QmpException(String message) {
        super(message);
    }

    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
