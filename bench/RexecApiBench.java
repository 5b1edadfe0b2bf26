import io.dpuvirt.fabric.rexec.ExitStatus;
import io.dpuvirt.fabric.rexec.OutputSink;
import io.dpuvirt.fabric.rexec.RemoteProcess;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.SpawnRequest;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Java API in-process, as virtd uses it: start /bin/true through rexec_server and wait for its exit, RUNS times
 * after WARMUP unmeasured runs. Prints "median p90" in milliseconds. Run with the source launcher:
 * java -cp "$(cat cli/target/classpath)" bench/RexecApiBench.java SOCKET RUNS WARMUP
 */
public class RexecApiBench {
    public static void main(String[] args) throws Exception {
        RexecClient client = new RexecClient(Path.of(args[0]));
        int runs = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        SpawnRequest request = SpawnRequest.of("/bin/true").withStdinFromNull();
        double[] samples = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            long start = System.nanoTime();
            try (RemoteProcess process = client.start(request, OutputSink.discard(), OutputSink.discard())) {
                ExitStatus status = process.waitFor();
                if (status.shellStatus() != 0) {
                    throw new IllegalStateException("/bin/true " + status);
                }
            }
            if (i >= 0) {
                samples[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(samples);
        System.out.printf("%.2f %.2f%n", samples[runs / 2], samples[(int) (runs * 0.9)]);
    }
}
