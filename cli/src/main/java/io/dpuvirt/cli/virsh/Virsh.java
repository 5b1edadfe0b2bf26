package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.dpuvirt.cli.virsh.OptionSpec.positional;

/**
 * virsh's commands and how it runs them: each command's words are read against its options, its errors
 * printed as "error: …" lines, and (unless quiet) an empty line follows every command, as virsh does.
 */
public final class Virsh {
    /** What a run of commands came to: whether the last one succeeded ("quit" does), and whether "quit" was asked. */
    record Outcome(boolean succeeded, boolean quit) {
    }

    private static final String WELCOME = """
            Welcome to virsh, the virtualization interactive terminal.

            Type:  'help' for help with commands
                   'quit' to quit

            """;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final CommandInput input;

    /** A virsh whose shell reads {@code input}. */
    public Virsh(CommandInput input) {
        this.input = input;
        List<Command> all = new ArrayList<>();
        all.addAll(LifecycleCommands.all());
        all.addAll(InfoCommands.all());
        all.add(ListCommand.command());
        all.addAll(HostCommands.all());
        all.add(EditCommand.command());
        all.add(ConsoleCommand.command());
        all.add(Command.of("help", this::help, positional("command")));
        all.forEach(command -> commands.put(command.name(), command));
    }

    /**
     * Runs virsh: {@code arguments} are one command line ({@code "list; dominfo x"}) when there is one of
     * them, one command when there are several, and when there is none commands are read from the shell's
     * input. Returns the exit status: 0 when the last command succeeded or was "quit"; the shell's is 0
     * whatever its commands did, as virsh's.
     */
    public int execute(Optional<String> uri, boolean readOnly, boolean quiet, List<String> arguments,
                       PrintStream out, PrintStream err) {
        Output output = new Output(out, err, quiet);
        try (Session session = new Session(uri.isPresent() ? ConnectionUri.parse(uri.get()) : ConnectionUri.daemonDefault(),
                readOnly, output)) {
            if (arguments.isEmpty()) {
                return shell(session) ? 0 : 1;
            }
            Outcome outcome = run(session, arguments.size() == 1 ? CommandLine.split(arguments.getFirst()) : List.of(arguments));
            return outcome.succeeded() ? 0 : 1;
        } catch (VirshException e) {
            e.lines().forEach(output::error);
            return 1;
        } finally {
            output.flush();
        }
    }

    /**
     * Commands read from the input, a line at a time, with virsh's prompt on a terminal (and its welcome
     * unless quiet). Returns false only when the input could not be read.
     */
    private boolean shell(Session session) {
        boolean terminal = input.terminal().getAsBoolean();
        Output output = session.output();
        if (terminal) {
            output.printExtra(WELCOME);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(input.stream(), StandardCharsets.UTF_8));
        Outcome outcome = new Outcome(true, false);
        try {
            while (!outcome.quit()) {
                if (terminal) {
                    output.print("virsh # ");
                    output.flush();
                }
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                try {
                    outcome = run(session, CommandLine.split(line));
                } catch (VirshException e) {
                    e.lines().forEach(output::error);
                    outcome = new Outcome(false, false);
                }
            }
        } catch (IOException e) {
            output.error("cannot read commands: " + e.getMessage());
            return false;
        }
        return true;
    }

    /** A command read and ready to run. */
    private record Parsed(String name, Command command, Options options) {
    }

    /**
     * Runs {@code commandLines} (each a command's words) in order, stopping at "quit" or "exit". As virsh,
     * all of them are read first: an unknown command or option runs none.
     */
    Outcome run(Session session, List<List<String>> commandLines) {
        List<Parsed> parsed = new ArrayList<>();
        try {
            for (List<String> words : commandLines) {
                parsed.add(parse(words));
            }
        } catch (VirshException e) {
            e.lines().forEach(session.output()::error);
            return new Outcome(false, false);
        }
        boolean succeeded = true;
        for (Parsed command : parsed) {
            if (command.command() == null) {
                return new Outcome(true, true);
            }
            succeeded = runOne(session, command);
            if (!session.output().quiet()) {
                session.output().print("\n");
            }
            session.output().flush();
        }
        return new Outcome(succeeded, false);
    }

    /** A command's words against its options; "quit" and "exit" have no command. */
    private Parsed parse(List<String> words) throws VirshException {
        String name = words.getFirst();
        if (name.equals("quit") || name.equals("exit")) {
            return new Parsed(name, null, null);
        }
        Command command = commands.get(name);
        if (command == null) {
            throw new VirshException("unknown command: '" + name + "'");
        }
        return new Parsed(name, command, Options.parse(name, command.options(), words.subList(1, words.size())));
    }

    private boolean runOne(Session session, Parsed parsed) {
        try {
            parsed.command().body().run(session, parsed.options());
            return true;
        } catch (VirshException e) {
            e.lines().forEach(session.output()::error);
        } catch (RemoteCallException e) {
            session.output().error(e.error().message().orElse("unknown error"));
        }
        return false;
    }

    private void help(Session session, Options options) throws VirshException {
        if (options.value("command").isEmpty()) {
            session.output().print("Commands of this virsh (libvirt's names, options and output):\n"
                    + commands.keySet().stream().map(name -> "    " + name).collect(Collectors.joining("\n")) + "\n"
                    + "    quit, exit\n");
            return;
        }
        String name = options.required("command");
        Command command = commands.get(name);
        if (command == null) {
            throw new VirshException("command or command group '" + name + "' doesn't exist");
        }
        session.output().print("  SYNOPSIS\n    " + name + command.options().stream()
                .map(o -> switch (o.kind()) {
                    case FLAG -> " [--" + o.name() + "]";
                    case VALUE -> " [--" + o.name() + " <string>]";
                    case POSITIONAL -> o.required() ? " <" + o.name() + ">" : " [<" + o.name() + ">]";
                })
                .collect(Collectors.joining()) + "\n");
    }
}
