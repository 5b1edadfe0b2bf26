package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.common.fs.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A driver's files, in the layout of {@link DriverDirectories}: definitions, autostart marks and
 * running-state files. Every write is atomic (a crash leaves the old file or the new one), every file
 * 0600 in 0700 directories: definitions may hold secrets (VNC passwords, disk keys).
 */
public final class DomainStore {
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final String XML = ".xml";
    private static final String STATE = ".state";

    /** A definition as stored: the domain's name (its file's) and XML, and whether it is autostarted. */
    public record StoredDefinition(String name, Path file, String xml, boolean autostart) {
    }

    /** A running domain as stored: its live XML and its state file. */
    public record StoredRun(String name, Path file, String xml, String state) {
    }

    private final DriverDirectories directories;

    public DomainStore(DriverDirectories directories) {
        this.directories = directories;
    }

    public DriverDirectories directories() {
        return directories;
    }

    /** True before the first {@link #create()}: the driver has never run under this root. */
    public boolean isNew() {
        return !Files.isDirectory(directories.config());
    }

    public void create() throws IOException {
        for (Path directory : List.of(directories.config(), directories.autostart(), directories.run())) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PRIVATE_DIRECTORY);
        }
    }

    public List<StoredDefinition> definitions() throws IOException {
        List<StoredDefinition> definitions = new ArrayList<>();
        for (Path file : filesEndingWith(directories.config(), XML)) {
            String name = baseName(file, XML);
            definitions.add(new StoredDefinition(name, file, read(file),
                    Files.exists(autostartLink(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)));
        }
        return definitions;
    }

    public List<StoredRun> runs() throws IOException {
        List<StoredRun> runs = new ArrayList<>();
        for (Path stateFile : filesEndingWith(directories.run(), STATE)) {
            String name = baseName(stateFile, STATE);
            Path xmlFile = directories.run().resolve(name + XML);
            runs.add(new StoredRun(name, xmlFile, read(xmlFile), read(stateFile)));
        }
        return runs;
    }

    public void saveDefinition(String name, String xml) throws IOException {
        AtomicFiles.write(definitionFile(name), xml.getBytes(StandardCharsets.UTF_8), PRIVATE_FILE);
    }

    /** Removes the definition and its autostart mark. */
    public void deleteDefinition(String name) throws IOException {
        Files.deleteIfExists(autostartLink(name));
        Files.deleteIfExists(definitionFile(name));
    }

    /** The mark is a relative symlink to the definition, as libvirt makes it. */
    public void setAutostart(String name, boolean autostart) throws IOException {
        Path link = autostartLink(name);
        if (!autostart) {
            Files.deleteIfExists(link);
        } else if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, Path.of("..", name + XML));
        }
    }

    /**
     * The live XML first, then the state file that makes it count: a crash in between leaves no half record.
     * Running state is not synced to disk: it must survive the daemon, not the machine, whose reboot ends
     * every guest (and clears /run).
     */
    public void saveRun(String name, String liveXml, RunningState state) throws IOException {
        AtomicFiles.replace(directories.run().resolve(name + XML), liveXml.getBytes(StandardCharsets.UTF_8), PRIVATE_FILE);
        saveState(name, state);
    }

    /** A new state of a running domain whose live XML is already saved; only this daemon reads it while it runs. */
    public void saveState(String name, RunningState state) throws IOException {
        AtomicFiles.replaceViaSpare(directories.run().resolve(name + STATE), state.format().getBytes(StandardCharsets.UTF_8),
                PRIVATE_FILE);
    }

    public void deleteRun(String name) throws IOException {
        AtomicFiles.deleteWithSpare(directories.run().resolve(name + STATE));
        Files.deleteIfExists(directories.run().resolve(name + XML));
    }

    private Path definitionFile(String name) {
        return directories.config().resolve(name + XML);
    }

    private Path autostartLink(String name) {
        return directories.autostart().resolve(name + XML);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Regular files only: the autostart directory and the atomic writer's temporary files are skipped. */
    private static List<Path> filesEndingWith(Path directory, String suffix) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + suffix)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && !entry.getFileName().toString().startsWith(".")) {
                    files.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(null);
        return files;
    }

    private static String baseName(Path file, String suffix) {
        String fileName = file.getFileName().toString();
        return fileName.substring(0, fileName.length() - suffix.length());
    }
}
