/**
 * The host interface's remote implementation, for a virtd on the DPU whose guests run on the HOST: processes are
 * rexec_server's detached programs (spawned, signalled, pinned and watched through rexec's Java API, no client
 * process), files are rexec's file requests confined to the server's state directories, and sockets are reached
 * at their own paths, where udsproxyd mirrors them. Start reading at {@link io.dpuvirt.virt.host.remote.RemoteHost}.
 */
package io.dpuvirt.virt.host.remote;
