package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.ProgramList;
import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.fs.CanonicalPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A program rexec_server's whitelist ({@code /etc/rexec/whitelist}) must list. rexec_server matches canonical paths,
 * so the program is listed by its canonical path, and an entry that resolves to it counts. A whitelist {@code up}
 * creates is 0400 and root's, as rexec_server requires (it refuses a file or directory others can write); an existing
 * one keeps its mode.
 */
record ProgramRequirement(Path file, Path program) implements Requirement {
    private static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("r--------");

    @Override
    public Outcome apply(Journal journal) throws IOException, ConfigException, OffloadException {
        Path canonical = canonicalProgram().orElseThrow(() -> new OffloadException(notFound()));
        if (Files.exists(file)) {
            ProgramList.refuseUnsafe(file);
            if (lists(canonical)) {
                return Outcome.unchanged("ok", file + " lists " + canonical);
            }
        }
        CreatedPaths.ensureParent(file, journal);
        CreatedPaths.recordIfNew(file, journal);
        journal.record(new Change.ListedProgram(file, canonical.toString()));
        String content = Files.exists(file) ? Files.readString(file) : "";
        content += (content.isEmpty() || content.endsWith("\n") ? "" : "\n") + canonical + "\n";
        AtomicFiles.write(file, content, Files.exists(file) ? Files.getPosixFilePermissions(file) : NEW_FILE_MODE);
        return Outcome.changed("added", canonical + " to " + file);
    }

    @Override
    public Finding check() {
        try {
            Optional<Path> canonical = canonicalProgram();
            if (canonical.isEmpty()) {
                return Finding.missing(notFound());
            }
            if (!Files.exists(file)) {
                return Finding.missing(file + " does not exist (it must list " + canonical.get() + ")");
            }
            ProgramList.refuseUnsafe(file);
            return lists(canonical.get()) ? Finding.met(file + " lists " + canonical.get())
                    : Finding.missing(file + " does not list " + canonical.get());
        } catch (ConfigException e) {
            return Finding.missing("rexec_server cannot use " + file + ": " + e.getMessage());
        } catch (IOException e) {
            return Finding.missing("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** down: removes the line {@code up} added, if it is still there. */
    static Outcome undo(Change.ListedProgram listed) throws IOException {
        Path file = listed.file();
        if (!Files.exists(file)) {
            return Outcome.unchanged("gone", listed.program() + " from " + file + " (the file is gone)");
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        int index = lines.stream().map(String::strip).toList().indexOf(listed.program());
        if (index < 0) {
            return Outcome.unchanged("gone", listed.program() + " from " + file + " (already)");
        }
        lines.remove(index);
        StringBuilder content = new StringBuilder();
        lines.forEach(line -> content.append(line).append('\n'));
        AtomicFiles.write(file, content.toString(), Files.getPosixFilePermissions(file));
        return Outcome.changed("removed", listed.program() + " from " + file);
    }

    /** Whether an entry of the (safe) whitelist resolves to {@code canonical}, as rexec_server would match it. */
    private boolean lists(Path canonical) throws IOException, ConfigException {
        for (byte[] entry : ProgramList.parse(file, Files.readAllBytes(file))) {
            if (CanonicalPaths.canonical(Path.of(new String(entry, StandardCharsets.UTF_8))).equals(canonical)) {
                return true;
            }
        }
        return false;
    }

    private Optional<Path> canonicalProgram() throws IOException {
        return Files.isRegularFile(program) ? Optional.of(program.toRealPath()) : Optional.empty();
    }

    private String notFound() {
        return "the emulator " + program + " does not exist (install it, or name the emulator with --emulator PATH)";
    }
}
