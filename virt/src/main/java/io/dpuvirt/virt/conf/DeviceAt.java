package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;

import java.util.ArrayList;
import java.util.List;

/** A device with the path of its element, {@code /domain/devices/disk[2]}, for messages. */
record DeviceAt(Device<?> device, ElementPath path) {
    static final ElementPath DEVICES = ElementPath.ROOT.child("domain").child("devices");

    static List<DeviceAt> all(Devices devices) {
        List<DeviceAt> all = new ArrayList<>();
        for (List<? extends Device<?>> kind : devices.byKind()) {
            for (int i = 0; i < kind.size(); i++) {
                Device<?> device = kind.get(i);
                all.add(new DeviceAt(device, DEVICES.child(device.elementName(), i, kind.size())));
            }
        }
        return all;
    }
}
