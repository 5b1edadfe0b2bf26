package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.CharDeviceConfig;
import io.dpuvirt.virt.conf.DomainConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A guest's serial ports and consoles as the hypervisor gets them and as {@code virsh console} finds
 * them: serial ports first (port N is {@code serialN}), then consoles ({@code consoleN}). A console of
 * target type serial is the serial port of its number, which is made from the console when the domain
 * has no such serial port (libvirt does the same).
 */
public record CharDevicePlan(List<GuestChar> chars, int firstConsole) {
    public CharDevicePlan {
        chars = List.copyOf(chars);
    }

    public static CharDevicePlan of(DomainConfig config, GuestFiles files) {
        List<GuestChar> chars = new ArrayList<>();
        List<CharDeviceConfig> serials = config.devices().serials();
        for (int i = 0; i < serials.size(); i++) {
            CharDeviceConfig serial = serials.get(i);
            int port = serial.targetPort().orElse(i);
            String chardev = "charserial" + port;
            chars.add(new GuestChar(serial.alias().orElse("serial" + port), chardev, backend(serial, chardev, files),
                    GuestChar.Frontend.SERIAL, port));
        }
        int firstConsole = chars.size();
        List<CharDeviceConfig> consoles = config.devices().consoles();
        for (int i = 0; i < consoles.size(); i++) {
            CharDeviceConfig console = consoles.get(i);
            String alias = console.alias().orElse("console" + i);
            if (console.targetType().filter("virtio"::equals).isPresent()) {
                String chardev = "charconsole" + i;
                chars.add(new GuestChar(alias, chardev, backend(console, chardev, files),
                        GuestChar.Frontend.VIRTIO_CONSOLE, i));
                continue;
            }
            int port = console.targetPort().orElse(0);
            Optional<GuestChar> serial = chars.stream()
                    .filter(c -> c.frontend() == GuestChar.Frontend.SERIAL && c.port() == port).findFirst();
            if (serial.isPresent()) {
                chars.add(new GuestChar(alias, serial.get().chardevId(), serial.get().backend(),
                        GuestChar.Frontend.SAME_AS_SERIAL, port));
            } else {
                String chardev = "charserial" + port;
                chars.add(new GuestChar(alias, chardev, backend(console, chardev, files), GuestChar.Frontend.SERIAL, port));
            }
        }
        return new CharDevicePlan(chars, firstConsole);
    }

    /**
     * The device {@code virsh console} means: the one with alias {@code name}, or when none is named the
     * first console, else the first serial port.
     */
    public Optional<GuestChar> console(Optional<String> name) {
        if (name.isPresent()) {
            return chars.stream().filter(c -> c.alias().equals(name.get())).findFirst();
        }
        return chars.stream().skip(firstConsole).findFirst().or(() -> chars.stream().findFirst());
    }

    /** The sockets the hypervisor listens on in the guest's own directory, to be removed after it. */
    public List<Path> ownSockets(GuestFiles files) {
        return chars.stream().filter(GuestChar::ownsChardev).map(GuestChar::backend)
                .flatMap(b -> b instanceof CharBackend.Listen listen && listen.socket().startsWith(files.directory())
                        ? java.util.stream.Stream.of(listen.socket()) : java.util.stream.Stream.empty())
                .toList();
    }

    private static CharBackend backend(CharDeviceConfig device, String chardev, GuestFiles files) {
        return switch (device.source()) {
            case CharDeviceConfig.Pty pty -> new CharBackend.Listen(files.socket(chardev));
            case CharDeviceConfig.Unix unix -> unix.mode().orElse(CharDeviceConfig.SocketMode.CONNECT)
                    == CharDeviceConfig.SocketMode.BIND ? new CharBackend.Listen(Path.of(unix.path()))
                    : new CharBackend.Connect(Path.of(unix.path()));
            case CharDeviceConfig.File file -> new CharBackend.File(Path.of(file.path()));
        };
    }
}
