package io.dpuvirt.virt.qmp;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

/**
 * The calls a driver makes on a guest's monitor, each bounded by the same timeout. The commands exist
 * with the same names and meanings in QEMU and StratoVirt (StratoVirt's docs/qmp.md, "Lifecycle
 * Management"); where they differ the {@link QmpDialect} knows.
 */
public final class Monitor implements AutoCloseable {
    private final QmpClient client;
    private final QmpDialect dialect;
    private final Duration timeout;

    public Monitor(QmpClient client, QmpDialect dialect, Duration timeout) {
        this.client = client;
        this.dialect = dialect;
        this.timeout = timeout;
    }

    public RunStatus status() throws QmpException {
        JsonNode answer = client.execute("query-status", timeout);
        if (!answer.path("running").isBoolean()) {
            throw new QmpException("query-status answered " + answer + " without 'running'");
        }
        return new RunStatus(answer.get("running").asBoolean(), answer.path("status").asText(""));
    }

    /** Pauses the vCPUs. */
    public void stop() throws QmpException {
        client.execute("stop", timeout);
    }

    /** Runs the vCPUs. */
    public void cont() throws QmpException {
        client.execute("cont", timeout);
    }

    /** Presses the ACPI power button. */
    public void systemPowerdown() throws QmpException {
        client.execute("system_powerdown", timeout);
    }

    /** Resets the machine, as the reset button would. */
    public void systemReset() throws QmpException {
        client.execute("system_reset", timeout);
    }

    /** Asks the hypervisor to exit at once; it answers, then closes the monitor and ends. */
    public void quit() throws QmpException {
        client.execute("quit", timeout);
    }

    public List<VcpuThread> vcpuThreads() throws QmpException {
        return dialect.vcpuThreads(client, timeout);
    }

    public boolean isOpen() {
        return client.isOpen();
    }

    @Override
    public void close() {
        client.close();
    }
}
