package io.dpuvirt.virt.qmp;

/** The monitor refused a command: its error class ({@code GenericError}, {@code CommandNotFound}…) and description. */
public final class QmpCommandError extends QmpException {
    private final String errorClass;
    private final String description;

    public QmpCommandError(String command, String errorClass, String description) {
        super(command + ": " + description + " (" + errorClass + ")");
        this.errorClass = errorClass;
        this.description = description;
    }

    public String errorClass() {
        return errorClass;
    }

    public String description() {
        return description;
    }
}
