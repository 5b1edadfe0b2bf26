package io.dpuvirt.rpc.wire;

import java.util.Optional;

/**
 * The {@code virErrorNumber} values this project raises or reacts to (numbers from libvirt's
 * {@code virterror.h}; the enum there never reorders). A {@link RemoteError} keeps the raw number,
 * so codes missing here still travel.
 */
public enum ErrorCode {
    OK(0),
    INTERNAL_ERROR(1),
    NO_MEMORY(2),
    /** The only code on which virsh falls back to an older procedure. */
    NO_SUPPORT(3),
    NO_CONNECT(5),
    INVALID_CONN(6),
    INVALID_DOMAIN(7),
    INVALID_ARG(8),
    OPERATION_FAILED(9),
    XML_ERROR(27),
    DOM_EXIST(28),
    OPERATION_DENIED(29),
    RPC(39),
    NO_DOMAIN(42),
    NO_NETWORK(43),
    AUTH_FAILED(45),
    NO_STORAGE_POOL(49),
    NO_STORAGE_VOL(50),
    NO_SECURITY_MODEL(54),
    OPERATION_INVALID(55),
    CONFIG_UNSUPPORTED(67),
    OPERATION_TIMEOUT(68),
    INVALID_STREAM(73),
    ARGUMENT_UNSUPPORTED(74),
    OPERATION_UNSUPPORTED(84),
    RESOURCE_BUSY(87),
    ACCESS_DENIED(88),
    XML_INVALID_SCHEMA(92);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ErrorCode> of(int code) {
        for (ErrorCode value : values()) {
            if (value.code == code) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
