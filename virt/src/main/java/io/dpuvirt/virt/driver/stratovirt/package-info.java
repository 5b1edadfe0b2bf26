/**
 * {@code stratovirt:///system}: StratoVirt standard VMs (q35 on x86_64, virt on aarch64) with StratoVirt's own
 * command line ({@link io.dpuvirt.virt.driver.stratovirt.StratovirtCommandLine}) and QMP dialect, run and controlled
 * by the qemu driver's process and monitor machinery ({@link io.dpuvirt.virt.driver.qemu.VmmHypervisor}).
 */
package io.dpuvirt.virt.driver.stratovirt;
