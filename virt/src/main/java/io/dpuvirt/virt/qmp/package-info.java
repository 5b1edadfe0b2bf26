/**
 * A client of QMP, the JSON monitor protocol of QEMU and StratoVirt: the capabilities handshake, commands
 * matched to their answers by id, asynchronous events, timeouts ({@link io.dpuvirt.virt.qmp.QmpClient}); the
 * connection that waits for a monitor to appear ({@link io.dpuvirt.virt.qmp.MonitorConnector}); and the calls the
 * drivers make, in each hypervisor's dialect ({@link io.dpuvirt.virt.qmp.Monitor}).
 */
package io.dpuvirt.virt.qmp;
