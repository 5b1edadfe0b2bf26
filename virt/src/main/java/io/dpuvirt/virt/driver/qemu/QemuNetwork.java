package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.InterfaceConfig;

import java.util.List;

/**
 * One network interface: its backend and the NIC the guest sees.
 * <ul>
 * <li>{@code bridge}: {@code -netdev bridge}, whose tap QEMU's bridge helper ({@code qemu-bridge-helper},
 * allowed per bridge in {@code /etc/qemu/bridge.conf}) creates and adds to the bridge;</li>
 * <li>{@code ethernet}: {@code -netdev tap} on the tap named by {@code <target dev>}, used as it is
 * (no script);</li>
 * <li>{@code vhostuser}: a socket chardev (QEMU listens when the XML says {@code mode='server'}) and
 * {@code -netdev vhost-user}, for OVS-DPDK; the guest's memory is then shared.</li>
 * </ul>
 * The NIC is {@code virtio-net-pci} for model {@code virtio} (or none), otherwise the model's name
 * ({@code e1000e}, {@code rtl8139}); with several queues it gets multiqueue and vectors for them.
 */
final class QemuNetwork {
    private final InterfaceConfig nic;
    private final int index;
    private final PciBuses buses;

    QemuNetwork(InterfaceConfig nic, int index, PciBuses buses) {
        this.nic = nic;
        this.index = index;
        this.buses = buses;
    }

    void addTo(List<String> args) {
        String netdev = "hostnet" + index;
        int queues = nic.driverQueues().orElse(1);
        QemuOpts backend = switch (nic.source()) {
            case InterfaceConfig.Bridge bridge -> QemuOpts.of("bridge").set("id", netdev).set("br", bridge.bridge());
            case InterfaceConfig.Ethernet ethernet -> QemuOpts.of("tap").set("id", netdev).set("ifname", nic.targetDev())
                    .set("script", "no").set("downscript", "no")
                    .on("vhost", nic.driverName().filter("vhost"::equals).isPresent());
            case InterfaceConfig.VhostUser vhostUser -> {
                String chardev = "charnet" + index;
                QemuCommandLine.add(args, "-chardev", QemuOpts.of("socket").set("id", chardev).set("path", vhostUser.path())
                        .on("server", vhostUser.mode() == InterfaceConfig.VhostUserMode.SERVER));
                yield QemuOpts.of("vhost-user").set("chardev", chardev).set("id", netdev);
            }
            case InterfaceConfig.Network network -> throw new IllegalStateException(
                    "network '" + network.network() + "' reached the command line: the qemu driver's limits refuse it");
        };
        if (queues > 1) {
            backend.set("queues", queues);
        }
        QemuCommandLine.add(args, "-netdev", backend);
        String model = nic.model().filter(m -> !m.equals("virtio")).orElse("virtio-net-pci");
        QemuOpts device = QemuOpts.of(model).set("netdev", netdev).set("id", nic.alias().orElse("net" + index))
                .set("mac", nic.mac()).append(buses.placement(nic.address())).set("bootindex", nic.bootOrder());
        if (queues > 1) {
            device.set("mq", "on").set("vectors", 2 * queues + 2);
        }
        QemuCommandLine.add(args, "-device", device);
    }
}
