/**
 * The driver SPI virtd serves: {@link io.dpuvirt.virt.driver.Driver}, libvirt's connection and domain calls with
 * libvirt's semantics; {@link io.dpuvirt.virt.driver.DriverFactory}, a driver under its URI scheme; libvirt's
 * states, reasons and errors with their numbers. {@code managed} holds what every driver shares, {@code test}
 * libvirt's test driver.
 */
package io.dpuvirt.virt.driver;
