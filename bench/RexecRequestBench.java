import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.fabric.rexec.DetachedFiles;
import io.dpuvirt.fabric.rexec.ProgramId;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.SpawnRequest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests that rexec_server answers at once, as virtd sends them: FILE_EXISTS of /proc/cpuinfo and CPU_TIME of a
 * detached /bin/sleep (which the server must whitelist), each on a connection of its own (a client per request,
 * closed after it: what every request cost before connections were kept) and on the kept connections of one
 * client; interleaved, RUNS times each after WARMUP unmeasured rounds. Prints "NAME median p90" in milliseconds, a
 * line each. Run with the source launcher:
 * java -cp "$(cat cli/target/classpath)" bench/RexecRequestBench.java SOCKET RUNS WARMUP
 */
public class RexecRequestBench {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private interface Request {
        void run(RexecClient client) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        try (RexecClient kept = new RexecClient(socket)) {
            ProgramId sleep = kept.spawnDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD);
            try {
                Map<String, Request> requests = new LinkedHashMap<>();
                requests.put("file-exists", client -> client.files().exists(CPUINFO));
                requests.put("cpu-time", client -> client.cpuTime(sleep));
                Map<String, double[]> samples = new LinkedHashMap<>();
                requests.keySet().forEach(name -> {
                    samples.put(name + "-fresh", new double[runs]);
                    samples.put(name + "-kept", new double[runs]);
                });
                for (int i = -warmup; i < runs; i++) {
                    for (Map.Entry<String, Request> request : requests.entrySet()) {
                        long start = System.nanoTime();
                        try (RexecClient fresh = new RexecClient(socket)) {
                            request.getValue().run(fresh);
                        }
                        long middle = System.nanoTime();
                        request.getValue().run(kept);
                        long end = System.nanoTime();
                        if (i >= 0) {
                            samples.get(request.getKey() + "-fresh")[i] = (middle - start) / 1e6;
                            samples.get(request.getKey() + "-kept")[i] = (end - middle) / 1e6;
                        }
                    }
                }
                samples.forEach((name, values) -> {
                    Arrays.sort(values);
                    System.out.printf("%s %.3f %.3f%n", name, values[runs / 2], values[(int) (runs * 0.9)]);
                });
            } finally {
                kept.signal(sleep, Signals.SIGKILL);
            }
        }
    }
}
