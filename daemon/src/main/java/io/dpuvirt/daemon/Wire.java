package io.dpuvirt.daemon;

import io.dpuvirt.rpc.remote.DomainValue;
import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.virt.driver.DomainRef;

/** A domain between the wire ({@code remote_nonnull_domain}) and the driver SPI. */
final class Wire {
    private Wire() {
    }

    static DomainRef ref(NonnullDomain domain) {
        return new DomainRef(domain.name(), domain.uuid(), domain.id());
    }

    static NonnullDomain domain(DomainRef ref) {
        return new NonnullDomain(ref.name(), ref.uuid(), ref.id());
    }

    static DomainValue value(DomainRef ref) {
        return new DomainValue(domain(ref));
    }
}
