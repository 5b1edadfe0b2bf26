package io.dpuvirt.virt.driver.qemu;

import java.util.List;

/**
 * A hypervisor's command line for a {@link LaunchPlan}: the argv it is started with. The guest's vCPUs
 * must not run before the driver says so (QEMU's {@code -S}, StratoVirt's {@code -freeze}), and its QMP
 * monitor must listen on {@link GuestFiles#monitor()}.
 */
@FunctionalInterface
public interface CommandLineBuilder {
    List<String> build(LaunchPlan plan);
}
