package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** {@code <cpu>}: the CPU model shown to the guest and its topology. */
public record CpuConfig(Optional<Mode> mode, Optional<String> model, Optional<Topology> topology,
                        Extensions extensions) {
    /** {@code host-passthrough} shows the host's own CPU; libvirt's default is {@code custom}. */
    public enum Mode implements XmlEnum { CUSTOM, HOST_MODEL, HOST_PASSTHROUGH, MAXIMUM }

    public record Topology(int sockets, Optional<Integer> dies, int cores, int threads) {
        public Topology {
            Objects.requireNonNull(dies, "dies");
        }
    }

    public CpuConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(extensions, "extensions");
    }
}
