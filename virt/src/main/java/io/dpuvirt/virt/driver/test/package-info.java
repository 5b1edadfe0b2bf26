/** libvirt's test driver ({@code test:///default}): guests without processes, libvirt's test node and domain. */
package io.dpuvirt.virt.driver.test;
