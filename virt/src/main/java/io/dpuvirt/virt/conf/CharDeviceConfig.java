package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code <serial>} or {@code <console>}: where its data goes on the host ({@link Source}) and how the
 * guest sees it ({@code target type} such as {@code serial} or {@code virtio}, and port).
 */
public record CharDeviceConfig(Kind kind, Source source, Optional<String> targetType, Optional<Integer> targetPort,
                               Optional<String> alias, Optional<DeviceAddress> address, Extensions extensions)
        implements Device<CharDeviceConfig> {
    public enum Kind implements XmlEnum { SERIAL, CONSOLE }

    public enum Type implements XmlEnum { PTY, FILE, UNIX }

    /** For a unix socket: whether the hypervisor listens ({@code bind}) or connects. */
    public enum SocketMode implements XmlEnum { BIND, CONNECT }

    public sealed interface Source {
        Type type();
    }

    public record Pty() implements Source {
        @Override
        public Type type() {
            return Type.PTY;
        }
    }

    public record File(String path) implements Source {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public Type type() {
            return Type.FILE;
        }
    }

    public record Unix(String path, Optional<SocketMode> mode) implements Source {
        public Unix {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public Type type() {
            return Type.UNIX;
        }
    }

    public CharDeviceConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(extensions, "extensions");
    }

    public CharDeviceConfig withTarget(String type, int port) {
        return new CharDeviceConfig(kind, source, Optional.of(type), Optional.of(port), alias, address, extensions);
    }

    @Override
    public CharDeviceConfig withAddress(DeviceAddress newAddress) {
        return new CharDeviceConfig(kind, source, targetType, targetPort, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return kind.xmlValue();
    }

    @Override
    public boolean needsPciAddress() {
        return false;
    }
}
