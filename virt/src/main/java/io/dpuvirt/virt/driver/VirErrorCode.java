package io.dpuvirt.virt.driver;

/**
 * The {@code virErrorNumber} values drivers raise, with libvirt's numbers and the wording libvirt puts
 * before the detail ({@code virErrorMsg}): clients show the message whole, as in
 * "Requested operation is not valid: domain is not running".
 */
public enum VirErrorCode {
    INTERNAL_ERROR(1, "internal error: "),
    NO_SUPPORT(3, "this function is not supported by the connection driver: "),
    NO_CONNECT(5, "no connection driver available for "),
    INVALID_ARG(8, "invalid argument: "),
    OPERATION_FAILED(9, "operation failed: "),
    XML_ERROR(27, "XML error: "),
    OPERATION_DENIED(29, "operation forbidden: "),
    NO_DOMAIN(42, "Domain not found: "),
    OPERATION_INVALID(55, "Requested operation is not valid: "),
    CONFIG_UNSUPPORTED(67, "unsupported configuration: "),
    OPERATION_TIMEOUT(68, "Timed out during operation: "),
    ARGUMENT_UNSUPPORTED(74, "argument unsupported: "),
    OPERATION_UNSUPPORTED(84, "Operation not supported: "),
    XML_INVALID_SCHEMA(92, "XML document failed to validate against schema: ");

    private final int code;
    private final String prefix;

    VirErrorCode(int code, String prefix) {
        this.code = code;
        this.prefix = prefix;
    }

    public int code() {
        return code;
    }

    /** The message a client shows for {@code detail}. */
    public String message(String detail) {
        return prefix + detail;
    }
}
