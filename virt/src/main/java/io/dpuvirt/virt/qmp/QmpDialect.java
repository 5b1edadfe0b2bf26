package io.dpuvirt.virt.qmp;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the hypervisors' QMP differ for what the drivers ask. QEMU lists vCPU threads with
 * {@code query-cpus-fast} ({@code cpu-index}, {@code thread-id}; QEMU removed {@code query-cpus} in 6.0);
 * StratoVirt with {@code query-cpus} ({@code CPU}, {@code thread_id}), per its QMP schema
 * (machine_manager/src/qmp/qmp_schema.rs, "query-cpus").
 */
public enum QmpDialect {
    QEMU("query-cpus-fast", "cpu-index", "thread-id"),
    STRATOVIRT("query-cpus", "CPU", "thread_id");

    private final String command;
    private final String indexMember;
    private final String threadMember;

    QmpDialect(String command, String indexMember, String threadMember) {
        this.command = command;
        this.indexMember = indexMember;
        this.threadMember = threadMember;
    }

    List<VcpuThread> vcpuThreads(QmpClient client, Duration timeout) throws QmpException {
        JsonNode answer = client.execute(command, timeout);
        if (!answer.isArray()) {
            throw new QmpException(command + " answered " + answer + " instead of a list of vCPUs");
        }
        List<VcpuThread> threads = new ArrayList<>();
        for (JsonNode cpu : answer) {
            if (!cpu.path(indexMember).canConvertToInt() || !cpu.path(threadMember).canConvertToInt()) {
                throw new QmpException(command + " answered a vCPU without " + indexMember + " or " + threadMember
                        + ": " + cpu);
            }
            threads.add(new VcpuThread(cpu.get(indexMember).asInt(), cpu.get(threadMember).asInt()));
        }
        return threads;
    }
}
