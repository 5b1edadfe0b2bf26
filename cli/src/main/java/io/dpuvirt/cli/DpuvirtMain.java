package io.dpuvirt.cli;

import io.dpuvirt.cli.offload.OffloadCommand;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;
import io.dpuvirt.testbed.TestBedConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code dpuvirt}: the project's own tool: the two-machine test bed, and the offload profiles that set up a side. */
public final class DpuvirtMain {
    private static final String USAGE = """
            usage: dpuvirt testbed up [NAME] [--mtu N] [--congestion-control NAME]
                                                              make a HOST and a DPU on this machine (root)
                   dpuvirt testbed down [NAME]                remove them, and everything still running in them
                   dpuvirt testbed status [NAME]
                   dpuvirt testbed exec host|dpu [--name NAME] COMMAND [ARG…]
                                                              run COMMAND on that side (in its namespaces)
                   dpuvirt testbed prefix host|dpu [NAME]     print the nsenter prefix that runs a command there
                   dpuvirt demo                               the two-machine demo (see README.md)
            %s\
            NAME defaults to 'tb'. The HOST is 169.254.77.1, the DPU 169.254.77.2; each side has its own /run,
            /etc/qtfs, /etc/rexec, /etc/dpuvirt, /var/lib/libvirt, /var/lib/dpuvirt, /var/log/libvirt,
            /var/log/dpuvirt and /home/VMs; the rest of the file system is shared. The link between them is a veth
            pair with an MTU of 65535, standing for the DPU's vsock channel (64 KiB packets); --mtu sets another.
            TCP across it uses cubic, which paces nothing (vsock has no congestion control), whatever the machine's
            default; --congestion-control sets another (one of /proc/sys/net/ipv4/tcp_available_congestion_control).
            exit status: 0 done, 1 failed, 2 wrong usage; exec returns the command's status;
            %s
            """.formatted(OffloadCommand.USAGE, OffloadCommand.EXIT_STATUSES);

    private DpuvirtMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
                System.out.print(USAGE);
                return args.length == 0 ? ExitStatus.USAGE : ExitStatus.OK;
            }
            if (args[0].equals("offload")) {
                return OffloadCommand.run(Arrays.copyOfRange(args, 1, args.length));
            }
            if (!args[0].equals("testbed") || args.length < 2) {
                throw new UsageException("unknown command '" + String.join(" ", args) + "'");
            }
            String[] rest = Arrays.copyOfRange(args, 2, args.length);
            return switch (args[1]) {
                case "up" -> up(rest);
                case "down" -> {
                    TestBed.down(name(rest, 0));
                    System.out.println("test bed '" + name(rest, 0) + "' removed");
                    yield ExitStatus.OK;
                }
                case "status" -> status(name(rest, 0));
                case "exec" -> exec(rest);
                case "prefix" -> prefix(rest);
                default -> throw new UsageException("unknown testbed command '" + args[1] + "'");
            };
        } catch (UsageException e) {
            System.err.println("dpuvirt: " + e.getMessage());
            System.err.print(USAGE);
            return ExitStatus.USAGE;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("dpuvirt: " + e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            return ExitStatus.FAILED;
        }
    }

    private static String name(String[] rest, int index) {
        return rest.length > index ? rest[index] : TestBedConfig.DEFAULT_NAME;
    }

    private static int up(String[] rest) throws UsageException, IOException {
        String name = TestBedConfig.DEFAULT_NAME;
        int mtu = TestBedConfig.DEFAULT_LINK_MTU;
        String congestionControl = TestBedConfig.DEFAULT_LINK_CONGESTION_CONTROL;
        for (int i = 0; i < rest.length; i++) {
            if (rest[i].equals("--mtu")) {
                if (++i == rest.length) {
                    throw new UsageException("--mtu needs a number");
                }
                mtu = mtu(rest[i]);
            } else if (rest[i].equals("--congestion-control")) {
                if (++i == rest.length) {
                    throw new UsageException("--congestion-control needs a name (cubic, bbr, reno...)");
                }
                congestionControl = rest[i];
            } else if (i == 0) {
                name = rest[i];
            } else {
                throw new UsageException("unexpected argument '" + rest[i] + "' to testbed up");
            }
        }
        TestBedConfig config;
        try {
            config = TestBedConfig.named(name).withLinkMtu(mtu).withLinkCongestionControl(congestionControl);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        TestBed bed = TestBed.up(config);
        // "link MTU N" stays last: scripts/lib.sh reads it there
        System.out.println("test bed '" + name + "' is up: HOST " + bed.host().address() + " (netns " + bed.host().networkNamespace()
                + "), DPU " + bed.dpu().address() + " (netns " + bed.dpu().networkNamespace() + "), TCP congestion control "
                + congestionControl + ", link MTU " + mtu);
        return ExitStatus.OK;
    }

    private static int mtu(String text) throws UsageException {
        try {
            int mtu = Integer.parseInt(text);
            if (mtu >= TestBedConfig.MIN_LINK_MTU && mtu <= TestBedConfig.MAX_LINK_MTU) {
                return mtu;
            }
        } catch (NumberFormatException e) {
            // reported below, as an MTU out of range is
        }
        throw new UsageException("--mtu needs a number from " + TestBedConfig.MIN_LINK_MTU + " to "
                + TestBedConfig.MAX_LINK_MTU + ", not '" + text + "'");
    }

    private static int status(String name) {
        if (!TestBed.isUp(name)) {
            System.out.println("test bed '" + name + "' is down");
            return ExitStatus.FAILED;
        }
        System.out.println("test bed '" + name + "' is up");
        return ExitStatus.OK;
    }

    private static int exec(String[] rest) throws UsageException, IOException, InterruptedException {
        if (rest.length < 2) {
            throw new UsageException("exec needs a side (host or dpu) and a command");
        }
        Side.Role role = Side.Role.of(rest[0]);
        int commandStart = 1;
        String name = TestBedConfig.DEFAULT_NAME;
        if (rest[1].equals("--name")) {
            if (rest.length < 4) {
                throw new UsageException("exec --name needs a name and a command");
            }
            name = rest[2];
            commandStart = 3;
        }
        Side side = TestBed.existing(name).side(role);
        List<String> command = new ArrayList<>(side.enter(Path.of("").toAbsolutePath()));
        command.addAll(Arrays.asList(rest).subList(commandStart, rest.length));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static int prefix(String[] rest) throws UsageException, IOException {
        if (rest.length < 1) {
            throw new UsageException("prefix needs a side (host or dpu)");
        }
        Side side = TestBed.existing(name(rest, 1)).side(Side.Role.of(rest[0]));
        System.out.println(String.join(" ", side.enter(Path.of("").toAbsolutePath())));
        return ExitStatus.OK;
    }
}
