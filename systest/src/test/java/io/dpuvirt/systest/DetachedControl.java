package io.dpuvirt.systest;

import io.dpuvirt.fabric.rexec.DetachedFiles;
import io.dpuvirt.fabric.rexec.ExitStatus;
import io.dpuvirt.fabric.rexec.ProgramId;
import io.dpuvirt.fabric.rexec.ProgramState;
import io.dpuvirt.fabric.rexec.RemoteFiles;
import io.dpuvirt.fabric.rexec.RequestRefusedException;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.SpawnRequest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A process of its own that drives rexec's Java API for detached programs and files, as virtd on the DPU will:
 * started on a side of the test bed with the socket to use, it reads commands on stdin and answers one line each on
 * stdout.
 * <pre>
 * spawn PROGRAM ARG...          started PID START     (then watches it: see watch)
 * status PID START              running | ended exit N | ended signal N | ended unknown
 * watch PID START               watching              (and once it ends: "watch PID ended ...", or "watch PID failed ...")
 * signal PID START SIGNAL       done
 * affinity PID START TID CPU    done
 * cputime PID START             cputime NANOSECONDS
 * mkprivate DIR                 done
 * write FILE OCTAL-MODE TEXT... done
 * read FILE                     read TEXT
 * exists PATH | delete PATH     true | false
 * </pre>
 * A refusal is {@code gone MESSAGE} (the program is not a running detached program of the server) or
 * {@code refused MESSAGE}; any other failure {@code error MESSAGE}.
 */
public final class DetachedControl {
    private DetachedControl() {
    }

    /** The command line that runs it on a side: this JVM's java, the tools' class path and the test classes. */
    static List<String> command(Path socket) throws IOException {
        String classPath = java.nio.file.Files.readString(Project.HOME.resolve("cli/target/classpath")).strip()
                + ":" + Project.HOME.resolve("systest/target/test-classes");
        return List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, DetachedControl.class.getName(), socket.toString());
    }

    public static void main(String[] args) throws IOException {
        RexecClient client = new RexecClient(Path.of(args[0]));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            String[] words = line.strip().split(" ");
            try {
                say(execute(client, words));
            } catch (RequestRefusedException e) {
                say((e.programGone() ? "gone " : "refused ") + e.getMessage());
            } catch (IOException | RuntimeException e) {
                say("error " + e);
            }
        }
    }

    private static String execute(RexecClient client, String[] words) throws IOException {
        RemoteFiles files = client.files();
        switch (words[0]) {
            case "mkprivate" -> {
                files.createPrivateDirectory(Path.of(words[1]));
                return "done";
            }
            case "write" -> {
                String text = String.join(" ", Arrays.copyOfRange(words, 3, words.length));
                files.writeFile(Path.of(words[1]), text.getBytes(StandardCharsets.UTF_8), Integer.parseInt(words[2], 8));
                return "done";
            }
            case "read" -> {
                return "read " + new String(files.readFile(Path.of(words[1])), StandardCharsets.UTF_8);
            }
            case "exists" -> {
                return Boolean.toString(files.exists(Path.of(words[1])));
            }
            case "delete" -> {
                return Boolean.toString(files.deleteFile(Path.of(words[1])));
            }
            default -> {
                return programCommand(client, words);
            }
        }
    }

    private static String programCommand(RexecClient client, String[] words) throws IOException {
        if (words[0].equals("spawn")) {
            ProgramId program = client.spawnDetached(SpawnRequest.of(Arrays.copyOfRange(words, 1, words.length)), DetachedFiles.DISCARD);
            watch(client, program);
            return "started " + program.pid() + " " + program.startTime();
        }
        ProgramId program = new ProgramId(Integer.parseInt(words[1]), Long.parseLong(words[2]));
        return switch (words[0]) {
            case "status" -> describe(client.status(program));
            case "watch" -> {
                watch(client, program);
                yield "watching";
            }
            case "signal" -> {
                client.signal(program, Integer.parseInt(words[3]));
                yield "done";
            }
            case "affinity" -> {
                BitSet cpus = new BitSet();
                cpus.set(Integer.parseInt(words[4]));
                client.setAffinity(program, Integer.parseInt(words[3]), cpus);
                yield "done";
            }
            case "cputime" -> "cputime " + client.cpuTime(program).toNanos();
            default -> "error unknown command " + words[0];
        };
    }

    private static void watch(RexecClient client, ProgramId program) throws IOException {
        client.watch(program).whenComplete((end, failure) -> say("watch " + program.pid() + " " + (failure == null ? describe(end) : "failed " + failure)));
    }

    private static String describe(ProgramState state) {
        return switch (state) {
            case ProgramState.Running running -> "running";
            case ProgramState.Ended end -> "ended " + end.status().map(DetachedControl::describe).orElse("unknown");
        };
    }

    private static String describe(ExitStatus status) {
        return status.killedBySignal() ? "signal " + status.signal() : "exit " + status.code();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
