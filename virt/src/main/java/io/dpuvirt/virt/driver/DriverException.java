package io.dpuvirt.virt.driver;

import java.util.Objects;

/**
 * A driver call failed the way libvirt reports it: an error code, the part of libvirt it comes from,
 * and the whole message a client prints. The daemon passes all three to the client unchanged.
 */
public final class DriverException extends Exception {
    private final VirErrorCode code;
    private final VirErrorDomain origin;

    private DriverException(VirErrorCode code, VirErrorDomain origin, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** An error worded as libvirt words {@code code}: its prefix, then {@code detail}. */
    public static DriverException of(VirErrorCode code, VirErrorDomain origin, String detail) {
        return new DriverException(code, origin, code.message(detail), null);
    }

    public static DriverException of(VirErrorCode code, VirErrorDomain origin, String detail, Throwable cause) {
        return new DriverException(code, origin, code.message(detail), cause);
    }

    /**
     * libvirt's virCheckFlags error, which has no prefix: "unsupported flags (0x4) in function
     * virDomainDestroyFlags".
     */
    public static DriverException unsupportedFlags(VirErrorDomain origin, long flags, String function) {
        return new DriverException(VirErrorCode.INVALID_ARG, origin,
                "unsupported flags (0x" + Long.toHexString(flags) + ") in function " + function, null);
    }

    public VirErrorCode code() {
        return code;
    }

    public VirErrorDomain origin() {
        return origin;
    }
}
