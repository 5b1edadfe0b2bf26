package io.dpuvirt.virt.driver.qemu;

/**
 * The capabilities document ({@code virsh capabilities}) of a QMP-driven hypervisor: the host's
 * architecture, and the one kind of guest it runs, {@code hvm} of that architecture, with the domain
 * types it takes ({@code qemu} where it emulates, {@code kvm} where the host has KVM).
 */
final class Capabilities {
    private Capabilities() {
    }

    static String of(String arch, String emulator, boolean emulates, boolean kvm) {
        StringBuilder xml = new StringBuilder();
        xml.append("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>").append(arch).append("</arch>\n    </cpu>\n")
                .append("  </host>\n\n  <guest>\n    <os_type>hvm</os_type>\n    <arch name='").append(arch).append("'>\n")
                .append("      <wordsize>64</wordsize>\n      <emulator>").append(escape(emulator)).append("</emulator>\n");
        if (emulates) {
            xml.append("      <domain type='qemu'/>\n");
        }
        if (kvm) {
            xml.append("      <domain type='kvm'/>\n");
        }
        return xml.append("    </arch>\n  </guest>\n\n</capabilities>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }
}
