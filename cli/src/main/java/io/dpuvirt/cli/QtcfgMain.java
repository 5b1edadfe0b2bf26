package io.dpuvirt.cli;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.KeyFile;
import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.fabric.udsproxy.UdsproxyConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code qtcfg}: lists and edits a section of /etc/qtfs/whitelist, as the original does. Unlike the original, an
 * edit is written to the file (atomically, so it survives a restart) and a running udsproxyd is told to reload at
 * once. Deleting an entry keeps the order of the others (the original moved the last entry into the gap).
 */
public final class QtcfgMain {
    private static final String USAGE = """
            usage: qtcfg [-w SECTION] -x PATH     add PATH to SECTION
                   qtcfg [-w SECTION] -y INDEX    delete the entry with INDEX (as -z shows it)
                   qtcfg [-w SECTION] -z          list SECTION's entries with their indices
            SECTION is one of open write read readdir mkdir rmdir create unlink rename setattr setxattr mount kill
            udsconnect (default udsconnect), and rfs's lookup getattr readlink link symlink getxattr statfs.
            options: --whitelist FILE (default /etc/qtfs/whitelist), --run-dir DIR (udsproxyd's, default /var/run/qtfs)
            exit status: 0 done, 1 failed, 2 wrong usage, 3 invalid whitelist file
            """;

    private QtcfgMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            Arguments arguments = new Arguments(args);
            if (arguments.flag("-h", "--help")) {
                System.out.print(USAGE);
                return ExitStatus.OK;
            }
            String sectionName = arguments.option("-w");
            String add = arguments.option("-x");
            String delete = arguments.option("-y");
            boolean list = arguments.flag("-z");
            String file = arguments.option("--whitelist");
            String runDir = arguments.option("--run-dir");
            List<String> extra = arguments.positionals();
            if (!extra.isEmpty()) {
                throw new UsageException("unexpected argument " + extra.getFirst());
            }
            if ((add != null ? 1 : 0) + (delete != null ? 1 : 0) + (list ? 1 : 0) != 1) {
                throw new UsageException("give exactly one of -x PATH, -y INDEX, -z");
            }
            Whitelist.Section section;
            try {
                section = sectionName == null ? Whitelist.Section.UDSCONNECT : Whitelist.Section.ofOption(sectionName);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            Path whitelistFile = file == null ? Whitelist.DEFAULT_FILE : Path.of(file);
            Path statusSocket = (runDir == null ? UdsproxyConfig.DEFAULT_RUN_DIRECTORY : Path.of(runDir)).resolve("udsproxyd.sock");
            try (QtfsWhitelistWriter.Lock ignored = QtfsWhitelistWriter.lock(whitelistFile)) {
                KeyFile keyFile = Files.exists(whitelistFile) ? KeyFile.load(whitelistFile) : KeyFile.empty(whitelistFile);
                Whitelist whitelist = Files.exists(whitelistFile) ? Whitelist.load(whitelistFile) : Whitelist.of(keyFile);
                PathPrefixes entries = whitelist.entries(section);
                if (list) {
                    System.out.println("[" + section.fileName() + "] in " + whitelistFile + ":");
                    for (int i = 0; i < entries.entries().size(); i++) {
                        System.out.println(i + ": " + entries.entries().get(i));
                    }
                    return ExitStatus.OK;
                }
                PathPrefixes changed;
                try {
                    changed = add != null ? entries.with(add) : entries.without(parseIndex(delete));
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    throw new UsageException(e.getMessage());
                }
                QtfsWhitelistWriter.write(whitelistFile, whitelist.with(section, changed).applyTo(keyFile, section));
                System.out.println((add != null ? "added " + PathPrefixes.normalize(add) + " to " : "deleted entry " + delete + " of ")
                        + "[" + section.fileName() + "] in " + whitelistFile);
            }
            QtfsWhitelistWriter.notifyDaemon(statusSocket).ifPresent(problem -> System.err.println("qtcfg: " + problem));
            return ExitStatus.OK;
        } catch (UsageException e) {
            System.err.println("qtcfg: " + e.getMessage());
            System.err.print(USAGE);
            return ExitStatus.USAGE;
        } catch (ConfigException e) {
            System.err.println("qtcfg: " + e.getMessage());
            return ExitStatus.CONFIG;
        } catch (IOException e) {
            System.err.println("qtcfg: " + e.getMessage());
            return ExitStatus.FAILED;
        }
    }

    private static int parseIndex(String text) throws UsageException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("-y needs an index (a number, as -z shows), got '" + text + "'");
        }
    }
}
