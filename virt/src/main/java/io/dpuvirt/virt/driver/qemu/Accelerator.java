package io.dpuvirt.virt.driver.qemu;

/** How the guest's CPUs run: in the host's hardware (KVM) or emulated by QEMU's translator (TCG). */
public enum Accelerator {
    KVM, TCG;

    public String option() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
