package io.dpuvirt.virt.qmp;

/**
 * Hears a monitor connection: its events in the order they came, then its end. Called on the connection's
 * reader thread, which reads nothing else meanwhile: a listener must not call the monitor itself.
 */
public interface QmpListener {
    QmpListener NONE = new QmpListener() {
        @Override
        public void event(QmpEvent event) {
        }

        @Override
        public void disconnected(String why) {
        }
    };

    void event(QmpEvent event);

    /** The connection ended ({@code why}: end of file, an error, or closed by this side). Called once. */
    void disconnected(String why);
}
