/**
 * The floor of any Java program's start on this machine: a JVM that prints one line and exits. bench/rexec runs it
 * with rexec's own JVM options (without rexec's AOT cache, which holds rexec's classes), beside rexec's figures.
 */
public final class JvmStart {
    public static void main(String[] args) {
        System.out.println("started");
    }
}
