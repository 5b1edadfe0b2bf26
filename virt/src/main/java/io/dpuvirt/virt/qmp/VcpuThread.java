package io.dpuvirt.virt.qmp;

/** A vCPU (numbered from 0, as {@code <vcpupin vcpu='N'>} numbers them) and the host thread that runs it. */
public record VcpuThread(int vcpu, int threadId) {
}
