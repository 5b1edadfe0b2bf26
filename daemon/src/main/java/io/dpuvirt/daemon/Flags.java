package io.dpuvirt.daemon;

import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;

/** libvirt's checks of an API's flags, with its messages. */
final class Flags {
    private Flags() {
    }

    /** virCheckFlags: a bit the API does not know (or this daemon does not do) is refused. */
    static void check(int flags, int supported, String function) throws DriverException {
        int unsupported = flags & ~supported;
        if (unsupported != 0) {
            throw DriverException.unsupportedFlags(VirErrorDomain.DOMAIN, Integer.toUnsignedLong(unsupported), function);
        }
    }

    /** VIR_EXCLUSIVE_FLAGS_RET: two bits that contradict each other. */
    static void exclusive(int flags, int first, String firstName, int second, String secondName) throws DriverException {
        if ((flags & first) != 0 && (flags & second) != 0) {
            throw DriverException.of(VirErrorCode.INVALID_ARG, VirErrorDomain.DOMAIN,
                    "Flags '" + firstName + "' and '" + secondName + "' are mutually exclusive");
        }
    }

    static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }
}
