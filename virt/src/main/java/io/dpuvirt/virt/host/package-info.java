/**
 * The machine that runs the guests, as drivers see it: {@link io.dpuvirt.virt.host.Host} (spawn, signal, find a
 * process again, CPU affinity, files, unix sockets) and its implementation on the daemon's own machine,
 * {@link io.dpuvirt.virt.host.LocalHost}. When virtd moves onto a DPU a remote implementation takes its place.
 */
package io.dpuvirt.virt.host;
