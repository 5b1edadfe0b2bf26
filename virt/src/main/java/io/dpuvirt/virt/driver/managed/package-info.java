/**
 * What every hypervisor driver shares: {@link io.dpuvirt.virt.driver.managed.ManagedDriver} implements the SPI
 * (definitions, uniqueness, state rules, locking, files, restart) for any
 * {@link io.dpuvirt.virt.driver.managed.Hypervisor}, which only runs and finds {@link io.dpuvirt.virt.driver.managed.Guest}s.
 */
package io.dpuvirt.virt.driver.managed;
