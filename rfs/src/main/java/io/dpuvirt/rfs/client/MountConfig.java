package io.dpuvirt.rfs.client;

import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.Transport;

/**
 * One rfs mount: the HOST directory, where it appears here, how to reach the HOST's engine and with which key
 * ({@code null} only in the explicitly insecure mode), mount(2) flags, cache times and link fault settings.
 */
public record MountConfig(String hostPath, String mountPoint, Transport transport, LinkKey key, long mountFlags,
                          CacheTimes cacheTimes, LinkSettings linkSettings, int readers) {
}
