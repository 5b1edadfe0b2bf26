package io.dpuvirt.virt.conf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <memoryBacking>}: whether guest memory comes from huge pages, and of which sizes. Hugepages
 * without any page means pages of the host's default size.
 */
public record MemoryBacking(boolean hugepages, List<HugePage> pages, Extensions extensions) {
    /** One {@code <page>}: its size, stored in KiB, and optionally the guest NUMA nodes it backs. */
    public record HugePage(long sizeKiB, Optional<String> nodeset) {
        public HugePage {
            Objects.requireNonNull(nodeset, "nodeset");
        }
    }

    public MemoryBacking {
        pages = List.copyOf(pages);
        Objects.requireNonNull(extensions, "extensions");
        if (!hugepages && !pages.isEmpty()) {
            throw new IllegalArgumentException("pages are only meaningful with hugepages");
        }
    }
}
