package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** The {@code <vsock>} device: the guest's context id, chosen by libvirt ({@code auto}) or given. */
public record VsockConfig(Optional<String> model, Optional<Boolean> cidAuto, Optional<Long> cid, Optional<String> alias,
                          Optional<DeviceAddress> address, Extensions extensions) implements Device<VsockConfig> {
    /** Context ids 0–2 are the hypervisor's, the reserved one and the host's. */
    public static final long FIRST_GUEST_CID = 3;

    public VsockConfig {
        Objects.requireNonNull(extensions, "extensions");
    }

    @Override
    public VsockConfig withAddress(DeviceAddress newAddress) {
        return new VsockConfig(model, cidAuto, cid, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "vsock";
    }

    @Override
    public boolean needsPciAddress() {
        return true;
    }
}
