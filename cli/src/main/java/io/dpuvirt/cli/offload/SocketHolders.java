package io.dpuvirt.cli.offload;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The processes that hold a socket listening at a path, found by the socket's inode among their descriptors in /proc:
 * what to stop when a daemon's socket is already served by another (a distribution's libvirtd, a udsproxyd started by
 * hand).
 */
final class SocketHolders {
    private SocketHolders() {
    }

    /**
     * "libvirtd, pid 812" for each; none found when the holder is of another pid namespace or went meanwhile, or when
     * nothing listens at {@code socket}.
     */
    static List<String> of(Path socket) {
        Set<String> links = SocketProbe.listeners(socket).stream().map(inode -> "socket:[" + inode + "]")
                .collect(Collectors.toSet());
        List<String> holders = new ArrayList<>();
        if (links.isEmpty()) {
            return holders;
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                if (holdsOneOf(process, links)) {
                    holders.add(name(process) + ", pid " + process.getFileName());
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // /proc unreadable: what was found so far is all there is to say
        }
        return holders;
    }

    private static boolean holdsOneOf(Path process, Set<String> links) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path descriptor : descriptors) {
                if (links.contains(target(descriptor))) {
                    return true;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // the process went, or its descriptors are not ours to read
        }
        return false;
    }

    private static String target(Path descriptor) {
        try {
            return Files.readSymbolicLink(descriptor).toString();
        } catch (IOException e) {
            return ""; // closed meanwhile
        }
    }

    private static String name(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return "a process";
        }
    }
}
