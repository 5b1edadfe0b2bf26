package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.fs.CanonicalPaths;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.OpenFlags;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.dpuvirt.common.linux.OpenFlags.O_ACCMODE;
import static io.dpuvirt.common.linux.OpenFlags.O_APPEND;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECT;
import static io.dpuvirt.common.linux.OpenFlags.O_DSYNC;
import static io.dpuvirt.common.linux.OpenFlags.O_NOATIME;
import static io.dpuvirt.common.linux.OpenFlags.O_NOCTTY;
import static io.dpuvirt.common.linux.OpenFlags.O_NOFOLLOW;
import static io.dpuvirt.common.linux.OpenFlags.O_NONBLOCK;
import static io.dpuvirt.common.linux.OpenFlags.O_PATH;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;
import static io.dpuvirt.common.linux.OpenFlags.O_SYNC;

/**
 * SCM_RIGHTS across the link. A descriptor cannot travel between machines, but a regular file whose path exists
 * on both sides (a directory shared through rfs) can be re-opened there, with the same access mode, flags and
 * offset. The receiving side opens such paths as root on the sender's behalf, so it opens only what its own
 * whitelist allows: {@code [Open]}, plus {@code [Write]} for write access. Anything else is refused, clearly.
 */
final class FdPassing {
    private static final int SEEK_SET = 0, SEEK_CUR = 1;
    /** Flags that describe how the file is used and are re-applied on the other side; creation flags never are. */
    private static final int CARRIED = O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_DIRECT | O_NOATIME | O_SYNC;

    record Description(String path, int flags, long offset) {
    }

    private final Supplier<Whitelist> whitelist;

    FdPassing(Supplier<Whitelist> whitelist) {
        this.whitelist = whitelist;
    }

    /** Describes received descriptors for the peer and closes them, whatever happens. */
    List<Description> describe(int[] fds) throws FdRefusedException {
        try {
            List<Description> descriptions = new ArrayList<>();
            for (int fd : fds) {
                descriptions.add(describe(fd));
            }
            return descriptions;
        } finally {
            for (int fd : fds) {
                Libc.close(fd);
            }
        }
    }

    private static Description describe(int fd) throws FdRefusedException {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            String target = Files.readSymbolicLink(link).toString();
            if (!target.startsWith("/")) {
                throw new FdRefusedException("descriptor is " + target + ", not a file: only regular files whose path exists on both sides can cross");
            }
            if (target.endsWith(" (deleted)")) {
                throw new FdRefusedException("descriptor's file " + target + " has no path any more");
            }
            if (!Files.isRegularFile(link)) {
                throw new FdRefusedException("descriptor's file " + target + " is not a regular file");
            }
            int flags = Libc.fcntl(fd, Libc.F_GETFL, 0);
            if ((flags & O_PATH) != 0) {
                throw new FdRefusedException("descriptor for " + target + " was opened with O_PATH");
            }
            return new Description(target, flags & CARRIED, Libc.lseek(fd, 0, SEEK_CUR));
        } catch (FdRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw new FdRefusedException("cannot describe descriptor: " + e.getMessage());
        }
    }

    /** Opens the described files here; on refusal nothing stays open. The caller closes what it gets. */
    int[] open(List<Description> descriptions) throws FdRefusedException {
        int[] fds = new int[descriptions.size()];
        int opened = 0;
        try {
            for (Description description : descriptions) {
                fds[opened] = open(description);
                opened++;
            }
            return fds;
        } catch (FdRefusedException e) {
            for (int i = 0; i < opened; i++) {
                Libc.close(fds[i]);
            }
            throw e;
        }
    }

    private int open(Description description) throws FdRefusedException {
        Path canonical;
        try {
            canonical = CanonicalPaths.canonical(Path.of(description.path()));
        } catch (IOException e) {
            throw new FdRefusedException("cannot resolve " + description.path() + ": " + e.getMessage());
        }
        Whitelist current = whitelist.get();
        if (!current.resolved(Whitelist.Section.OPEN).covers(canonical)) {
            throw new FdRefusedException(description.path() + " is not under [Open] in " + current.source());
        }
        boolean writes = (description.flags() & O_ACCMODE) != O_RDONLY;
        if (writes && !current.resolved(Whitelist.Section.WRITE).covers(canonical)) {
            throw new FdRefusedException(description.path() + " is open for writing but not under [Write] in " + current.source());
        }
        int fd;
        try {
            fd = FileCalls.openWithoutSymlinks(canonical.toString(), description.flags() | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0);
        } catch (LinuxException e) {
            throw new FdRefusedException("cannot re-open " + description.path() + " on this side: " + e.getMessage());
        }
        try {
            if (!Files.isRegularFile(Path.of("/proc/self/fd/" + fd))) {
                throw new FdRefusedException(description.path() + " is not a regular file on this side");
            }
            Libc.lseek(fd, description.offset(), SEEK_SET);
            return fd;
        } catch (LinuxException e) {
            Libc.close(fd);
            throw new FdRefusedException("cannot seek " + description.path() + ": " + e.getMessage());
        } catch (FdRefusedException e) {
            Libc.close(fd);
            throw e;
        }
    }

    static byte[] encode(List<Description> descriptions) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(descriptions.size());
            for (Description description : descriptions) {
                out.writeUTF(description.path());
                out.writeInt(OpenFlags.toWire(description.flags())); // the sides may differ in architecture
                out.writeLong(description.offset());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<Description> decode(MemorySegment payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload.toArray(ValueLayout.JAVA_BYTE)));
        int count = in.readUnsignedShort();
        if (count > io.dpuvirt.common.net.MessageIo.MAX_FDS) {
            throw new IOException("peer passes " + count + " descriptors in one message");
        }
        List<Description> descriptions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            descriptions.add(new Description(in.readUTF(), OpenFlags.fromWire(in.readInt()) & CARRIED, in.readLong()));
        }
        return descriptions;
    }
}
