package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.common.exec.Commands;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.RenameCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.testbed.TestBed;
import io.dpuvirt.testbed.TestBedConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.dpuvirt.systest.FsCall.AT_FDCWD;
import static io.dpuvirt.systest.FsCall.O_CREAT;
import static io.dpuvirt.systest.FsCall.O_DIRECT;
import static io.dpuvirt.systest.FsCall.O_DIRECTORY;
import static io.dpuvirt.systest.FsCall.O_EXCL;
import static io.dpuvirt.systest.FsCall.O_NOFOLLOW;
import static io.dpuvirt.systest.FsCall.O_RDONLY;
import static io.dpuvirt.systest.FsCall.O_RDWR;
import static io.dpuvirt.systest.FsCall.O_WRONLY;
import static io.dpuvirt.systest.FsCall.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POSIX behaviour of an rfs mount, operation by operation, against the same calls on a local directory of the same
 * file system type: every case runs on both and must give the same transcript (results and errnos). The HOST
 * exports a directory on /tmp's file system; this JVM reaches the DPU's mount of it through the mount daemon's
 * root ({@code /proc/PID/root}), which lies in the DPU's mount namespace.
 */
class RfsConformanceTest {
    private static final String EXPORT = "/tmp/dpuvirt-rfs-conformance/export";
    private static final String MOUNT = "/tmp/dpuvirt-rfs-conformance/mnt";
    private static final Path LOCAL = Path.of("/tmp/dpuvirt-rfs-conformance/local");
    /** Another file system than both /tmp and the mount, for EXDEV. */
    private static final Path OTHER_FS = Path.of("/dev/shm");

    private static TestBed bed;
    private static RfsPair rfs;
    private static Path remote;

    /** One case: calls on a fresh empty directory, and what they gave. */
    @FunctionalInterface
    interface Case {
        void run(Path base, List<String> transcript) throws Exception;
    }

    @BeforeAll
    static void up() throws Exception {
        Commands.check("rm", "-rf", "/tmp/dpuvirt-rfs-conformance");
        Files.createDirectories(Path.of(EXPORT));
        Files.createDirectories(LOCAL);
        bed = TestBed.up(TestBedConfig.named("rfsconf"));
        rfs = new RfsPair(bed, Project.logDirectory("rfs-conformance"));
        rfs.whitelist(RfsPair.allowAll(EXPORT));
        rfs.startEngine();
        rfs.mount(EXPORT, MOUNT).orThrow();
        remote = rfs.onDpu(MOUNT, MOUNT);
    }

    @AfterAll
    static void down() throws Exception {
        if (rfs != null) {
            rfs.close();
        }
        if (bed != null) {
            bed.close();
        }
        Commands.run("rm", "-rf", "/tmp/dpuvirt-rfs-conformance");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("lookup and getattr", (Case) RfsConformanceTest::lookupAndGetattr),
                Arguments.of("setattr: mode, owner, size, times", (Case) RfsConformanceTest::setattr),
                Arguments.of("readdir", (Case) RfsConformanceTest::readdir),
                Arguments.of("readdir of 1,000 names into a 512 KiB buffer", (Case) RfsConformanceTest::readdirLarge),
                Arguments.of("open, read, write, fsync, release", (Case) RfsConformanceTest::readWrite),
                Arguments.of("create and open errors", (Case) RfsConformanceTest::createAndOpenErrors),
                Arguments.of("O_TRUNC: sizes seen right after", (Case) RfsConformanceTest::truncateOnOpen),
                Arguments.of("mknod: fifo and socket", (Case) RfsConformanceTest::mknod),
                Arguments.of("mkdir and rmdir", (Case) RfsConformanceTest::mkdirAndRmdir),
                Arguments.of("unlink", (Case) RfsConformanceTest::unlink),
                Arguments.of("rename, RENAME_NOREPLACE, RENAME_EXCHANGE", (Case) RfsConformanceTest::rename),
                Arguments.of("rename to another file system", (Case) RfsConformanceTest::renameAcrossFileSystems),
                Arguments.of("symlink and readlink", (Case) RfsConformanceTest::symlink),
                Arguments.of("link", (Case) RfsConformanceTest::link),
                Arguments.of("statfs", (Case) (base, t) -> t.add(outcome(() -> FsCall.statfsNameLength(base)))),
                Arguments.of("extended attributes", (Case) RfsConformanceTest::xattrs),
                Arguments.of("POSIX (OFD) locks", (Case) RfsConformanceTest::posixLocks),
                Arguments.of("flock", (Case) RfsConformanceTest::flock),
                Arguments.of("O_DIRECT", (Case) RfsConformanceTest::direct),
                Arguments.of("fallocate", (Case) RfsConformanceTest::fallocate),
                Arguments.of("name too long", (Case) RfsConformanceTest::nameTooLong));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void behavesAsALocalDirectory(String name, Case body) throws Exception {
        String directory = name.replaceAll("[^a-z]+", "-");
        List<String> local = transcript(body, LOCAL.resolve(directory));
        List<String> mounted = transcript(body, remote.resolve(directory));
        System.out.println(name + ": " + mounted);
        assertThat(mounted).as("on the rfs mount (left) and on a local directory (right)").isEqualTo(local);
    }

    private static List<String> transcript(Case body, Path base) throws Exception {
        Files.createDirectories(base);
        List<String> transcript = new ArrayList<>();
        body.run(base, transcript);
        return transcript;
    }

    private static void lookupAndGetattr(Path base, List<String> t) throws LinuxException {
        FsCall.writeFile(base.resolve("a"), "hello");
        t.add(outcome(() -> FsCall.stat(base.resolve("a"))));
        t.add(outcome(() -> FsCall.stat(base.resolve("missing"))));
        t.add(outcome(() -> FsCall.stat(base.resolve("a/below-a-file"))));
        FileCalls.mkdirat(AT_FDCWD, base.resolve("d").toString(), 0750);
        t.add(outcome(() -> FsCall.stat(base.resolve("d"))));
    }

    private static void setattr(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        FsCall.writeFile(f, "0123456789");
        t.add(outcome(() -> { FileCalls.chmod(f.toString(), 0640); return FsCall.stat(f); }));
        t.add(outcome(() -> { FileCalls.fchownat(AT_FDCWD, f.toString(), 1000, 1001, 0); return FsCall.stat(f); }));
        t.add(outcome(() -> {
            int fd = FsCall.open(f, O_WRONLY, 0);
            try {
                FileCalls.ftruncate(fd, 3);
            } finally {
                Libc.close(fd);
            }
            return FsCall.stat(f) + " " + FsCall.readFile(f);
        }));
        t.add(outcome(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment times = arena.allocate(32, 8);
                times.set(ValueLayout.JAVA_LONG, 0, 1_000_000_000L);
                times.set(ValueLayout.JAVA_LONG, 16, 1_500_000_000L);
                FileCalls.utimensat(AT_FDCWD, f.toString(), times, 0);
            }
            return "mtime=" + FsCall.mtime(f);
        }));
        t.add(outcome(() -> { FileCalls.chmod(base.resolve("missing").toString(), 0600); return ""; }));
    }

    private static void readdir(Path base, List<String> t) throws Exception {
        Path d = base.resolve("d");
        FileCalls.mkdirat(AT_FDCWD, d.toString(), 0755);
        for (String name : List.of("b", "a", "c.txt")) {
            FsCall.writeFile(d.resolve(name), name);
        }
        FileCalls.mkdirat(AT_FDCWD, d.resolve("sub").toString(), 0755);
        try (Stream<Path> entries = Files.list(d)) {
            t.add(String.join(",", entries.map(p -> p.getFileName().toString()).sorted().toList()));
        }
        t.add(outcome(() -> {
            int fd = FsCall.open(base.resolve("d/a"), O_RDONLY | O_DIRECTORY, 0);
            Libc.close(fd);
            return "listed a file";
        }));
    }

    /**
     * getdents64 with a large buffer: a kernel since 6.16 passes its size on, and one READDIRPLUS answer could then
     * hold more names than one LOOKUPS request may carry (the engine ended the connection over it).
     */
    private static void readdirLarge(Path base, List<String> t) throws Exception {
        Path d = base.resolve("many");
        FileCalls.mkdirat(AT_FDCWD, d.toString(), 0755);
        for (int i = 0; i < 1000; i++) {
            FsCall.writeFile(d.resolve("file-with-a-longer-name-" + i), "");
        }
        int fd = FsCall.open(d, O_RDONLY | O_DIRECTORY, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(512 * 1024, 8);
            int entries = 0;
            for (long n; (n = FileCalls.getdents64(fd, buffer)) > 0; ) {
                for (long at = 0; at < n; at += buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 16)) {
                    entries++;
                }
            }
            t.add(entries + " entries");
        } finally {
            Libc.close(fd);
        }
    }

    private static void readWrite(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        int fd = FsCall.open(f, O_RDWR | O_CREAT, 0644);
        try {
            FsCall.write(fd, "hello world", 0);
            FsCall.write(fd, "HELLO", 20);
            FileCalls.fsync(fd, false);
            FileCalls.fsync(fd, true);
            t.add(outcome(() -> FsCall.read(fd, 100, 0).replace('\0', '.')));
            t.add(outcome(() -> FsCall.read(fd, 100, 1000)));
        } finally {
            Libc.close(fd);
        }
        int append = FsCall.open(f, O_WRONLY | FsCall.O_APPEND, 0);
        try {
            byte[] more = "!".getBytes();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, more);
                Libc.write(append, data, 1);
            }
        } finally {
            Libc.close(append);
        }
        t.add(outcome(() -> FsCall.stat(f) + " " + FsCall.readFile(f).replace('\0', '.')));
    }

    private static void createAndOpenErrors(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        t.add(outcome(() -> { Libc.close(FsCall.open(f, O_WRONLY | O_CREAT | O_EXCL, 0600)); return FsCall.stat(f); }));
        t.add(outcome(() -> { Libc.close(FsCall.open(f, O_WRONLY | O_CREAT | O_EXCL, 0600)); return ""; }));
        t.add(outcome(() -> { Libc.close(FsCall.open(base.resolve("missing"), O_RDONLY, 0)); return ""; }));
        t.add(outcome(() -> { Libc.close(FsCall.open(base, O_WRONLY, 0)); return ""; }));
        t.add(outcome(() -> { Libc.close(FsCall.open(f, O_RDONLY | O_DIRECTORY, 0)); return ""; }));
        t.add(outcome(() -> { Libc.close(FsCall.open(base.resolve("missing/f"), O_WRONLY | O_CREAT, 0600)); return ""; }));
    }

    private static void truncateOnOpen(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        FsCall.writeFile(f, "a longer first content");
        t.add(outcome(() -> FsCall.stat(f)));
        t.add(outcome(() -> { Libc.close(FsCall.open(f, O_WRONLY | FsCall.O_TRUNC, 0)); return FsCall.stat(f); }));
        t.add(outcome(() -> { FsCall.writeFile(f, "short"); return FsCall.stat(f) + " " + FsCall.readFile(f); }));
    }

    private static void mknod(Path base, List<String> t) throws Exception {
        Path fifo = base.resolve("fifo");
        t.add(outcome(() -> { FileCalls.mknodat(AT_FDCWD, fifo.toString(), 0010640, 0); return FsCall.stat(fifo); }));
        t.add(outcome(() -> { FileCalls.mknodat(AT_FDCWD, fifo.toString(), 0010640, 0); return ""; }));
        Path socket = base.resolve("s");
        try (NativeSocket listener = NativeSocket.listen(new SockAddr.Unix(socket.toString()), SocketType.STREAM, 1);
             NativeSocket client = NativeSocket.connect(new SockAddr.Unix(socket.toString()), SocketType.STREAM);
             NativeSocket accepted = listener.accept()) {
            client.write("ping".getBytes());
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(4);
                accepted.readFully(buffer, 4);
                t.add("socket carried " + new String(buffer.toArray(ValueLayout.JAVA_BYTE)));
            }
            t.add(outcome(() -> FsCall.stat(socket).replaceAll("uid=\\d+ gid=\\d+ ", "")));
        }
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, socket.toString(), 0); return ""; }));
        t.add(outcome(() -> FsCall.stat(socket)));
    }

    private static void mkdirAndRmdir(Path base, List<String> t) throws LinuxException {
        Path d = base.resolve("d");
        t.add(outcome(() -> { FileCalls.mkdirat(AT_FDCWD, d.toString(), 0755); return FsCall.stat(d); }));
        t.add(outcome(() -> { FileCalls.mkdirat(AT_FDCWD, d.toString(), 0755); return ""; }));
        t.add(outcome(() -> { FileCalls.mkdirat(AT_FDCWD, base.resolve("x/y").toString(), 0755); return ""; }));
        FsCall.writeFile(d.resolve("f"), "f");
        t.add(outcome(() -> { FileCalls.mkdirat(AT_FDCWD, d.resolve("f/sub").toString(), 0755); return ""; }));
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, d.toString(), FsCall.AT_REMOVEDIR); return ""; }));
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, d.resolve("f").toString(), FsCall.AT_REMOVEDIR); return ""; }));
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, base.resolve("missing").toString(), FsCall.AT_REMOVEDIR); return ""; }));
        FileCalls.unlinkat(AT_FDCWD, d.resolve("f").toString(), 0);
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, d.toString(), FsCall.AT_REMOVEDIR); return ""; }));
        t.add(outcome(() -> FsCall.stat(d)));
    }

    private static void unlink(Path base, List<String> t) throws LinuxException {
        FileCalls.mkdirat(AT_FDCWD, base.resolve("d").toString(), 0755);
        FsCall.writeFile(base.resolve("f"), "f");
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, base.resolve("d").toString(), 0); return ""; }));
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, base.resolve("missing").toString(), 0); return ""; }));
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, base.resolve("f").toString(), 0); return ""; }));
        t.add(outcome(() -> FsCall.stat(base.resolve("f"))));
    }

    private static void rename(Path base, List<String> t) throws LinuxException {
        Path a = base.resolve("a"), b = base.resolve("b"), c = base.resolve("c");
        FsCall.writeFile(a, "A");
        FsCall.writeFile(b, "B");
        t.add(outcome(() -> { RenameCalls.renameat2(AT_FDCWD, a.toString(), AT_FDCWD, c.toString(), 0); return FsCall.readFile(c); }));
        t.add(outcome(() -> FsCall.stat(a)));
        t.add(outcome(() -> { RenameCalls.renameat2(AT_FDCWD, c.toString(), AT_FDCWD, b.toString(), 1); return ""; }));
        t.add(outcome(() -> {
            RenameCalls.renameat2(AT_FDCWD, c.toString(), AT_FDCWD, b.toString(), 2);
            return FsCall.readFile(b) + FsCall.readFile(c);
        }));
        Path d = base.resolve("d"), e = base.resolve("e");
        FileCalls.mkdirat(AT_FDCWD, d.toString(), 0755);
        FileCalls.mkdirat(AT_FDCWD, e.toString(), 0755);
        FsCall.writeFile(e.resolve("x"), "x");
        FsCall.writeFile(d.resolve("inside"), "in d");
        t.add(outcome(() -> { RenameCalls.renameat2(AT_FDCWD, d.toString(), AT_FDCWD, e.toString(), 0); return ""; }));
        t.add(outcome(() -> { RenameCalls.renameat2(AT_FDCWD, b.toString(), AT_FDCWD, e.toString(), 0); return ""; }));
        t.add(outcome(() -> { RenameCalls.renameat2(AT_FDCWD, d.toString(), AT_FDCWD, b.toString(), 0); return ""; }));
        t.add(outcome(() -> { RenameCalls.renameat2(AT_FDCWD, d.toString(), AT_FDCWD, d.resolve("sub").toString(), 0); return ""; }));
        t.add(outcome(() -> {
            RenameCalls.renameat2(AT_FDCWD, d.toString(), AT_FDCWD, base.resolve("moved").toString(), 0);
            return FsCall.readFile(base.resolve("moved/inside"));
        }));
        t.add(outcome(() -> FsCall.readFile(d.resolve("inside"))));
    }

    private static void renameAcrossFileSystems(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        FsCall.writeFile(f, "f");
        Path elsewhere = OTHER_FS.resolve("dpuvirt-rfs-exdev-" + ProcessHandle.current().pid());
        t.add(outcome(() -> { RenameCalls.renameat2(AT_FDCWD, f.toString(), AT_FDCWD, elsewhere.toString(), 0); return ""; }));
        t.add(outcome(() -> { FileCalls.linkat(AT_FDCWD, f.toString(), AT_FDCWD, elsewhere.toString(), 0); return ""; }));
    }

    private static void symlink(Path base, List<String> t) throws LinuxException {
        Path target = base.resolve("target"), l = base.resolve("l");
        FsCall.writeFile(target, "through the link");
        t.add(outcome(() -> { FileCalls.symlinkat("target", AT_FDCWD, l.toString()); return FsCall.readlink(l); }));
        t.add(outcome(() -> FsCall.stat(l).replaceAll("size=\\d+", "")));
        t.add(outcome(() -> FsCall.readFile(l)));
        t.add(outcome(() -> { Libc.close(FsCall.open(l, O_RDONLY | O_NOFOLLOW, 0)); return ""; }));
        FileCalls.symlinkat("loop2", AT_FDCWD, base.resolve("loop1").toString());
        FileCalls.symlinkat("loop1", AT_FDCWD, base.resolve("loop2").toString());
        t.add(outcome(() -> FsCall.readFile(base.resolve("loop1"))));
        t.add(outcome(() -> { FileCalls.symlinkat("x", AT_FDCWD, l.toString()); return ""; }));
        t.add(outcome(() -> FsCall.readlink(target)));
        FileCalls.symlinkat("/nonexistent/absolute", AT_FDCWD, base.resolve("dangling").toString());
        t.add(outcome(() -> FsCall.readlink(base.resolve("dangling")) + " " + outcome(() -> FsCall.readFile(base.resolve("dangling")))));
    }

    private static void link(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f"), g = base.resolve("g");
        FsCall.writeFile(f, "linked");
        t.add(outcome(() -> { FileCalls.linkat(AT_FDCWD, f.toString(), AT_FDCWD, g.toString(), 0); return FsCall.stat(f) + " / " + FsCall.stat(g); }));
        t.add(outcome(() -> { FileCalls.linkat(AT_FDCWD, f.toString(), AT_FDCWD, g.toString(), 0); return ""; }));
        FileCalls.mkdirat(AT_FDCWD, base.resolve("d").toString(), 0755);
        t.add(outcome(() -> { FileCalls.linkat(AT_FDCWD, base.resolve("d").toString(), AT_FDCWD, base.resolve("d2").toString(), 0); return ""; }));
        t.add(outcome(() -> { FileCalls.unlinkat(AT_FDCWD, f.toString(), 0); return FsCall.stat(g) + " " + FsCall.readFile(g); }));
    }

    private static void xattrs(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        FsCall.writeFile(f, "x");
        t.add(outcome(() -> { FsCall.setxattr(f, "user.colour", "blue", 0); return FsCall.getxattr(f, "user.colour"); }));
        t.add(outcome(() -> { FsCall.setxattr(f, "user.size", "1", 0); return FsCall.listxattr(f); }));
        t.add(outcome(() -> { FsCall.setxattr(f, "user.colour", "red", 1); return ""; }));
        t.add(outcome(() -> { FsCall.setxattr(f, "user.shape", "round", 2); return ""; }));
        t.add(outcome(() -> { FileCalls.removexattr(f.toString(), "user.colour"); return FsCall.listxattr(f); }));
        t.add(outcome(() -> FsCall.getxattr(f, "user.colour")));
        t.add(outcome(() -> FsCall.getxattr(base.resolve("missing"), "user.colour")));
    }

    private static void posixLocks(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        FsCall.writeFile(f, "locked");
        int first = FsCall.open(f, O_RDWR, 0), second = FsCall.open(f, O_RDWR, 0);
        try {
            t.add(outcome(() -> { FsCall.ofdLock(first, 1, 0, 0); return ""; }));
            t.add(outcome(() -> { FsCall.ofdLock(second, 1, 0, 0); return ""; }));
            t.add(outcome(() -> { FsCall.ofdLock(second, 0, 0, 0); return ""; }));
            t.add(outcome(() -> "conflict type " + FsCall.ofdTest(second, 0, 0, 0)));
            t.add(outcome(() -> { FsCall.ofdLock(second, 1, 100, 10); return "a range of its own"; }));
            t.add(outcome(() -> { FsCall.ofdLock(first, 2, 0, 0); FsCall.ofdLock(second, 1, 0, 0); return "after unlock"; }));
        } finally {
            Libc.close(first);
            Libc.close(second);
        }
        int third = FsCall.open(f, O_RDWR, 0);
        try {
            t.add(outcome(() -> { FsCall.ofdLock(third, 1, 0, 0); return "released by close"; }));
        } finally {
            Libc.close(third);
        }
    }

    private static void flock(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        FsCall.writeFile(f, "flocked");
        int first = FsCall.open(f, O_RDONLY, 0), second = FsCall.open(f, O_RDONLY, 0);
        try {
            t.add(outcome(() -> { FileCalls.flock(first, 2 | 4); return ""; }));
            t.add(outcome(() -> { FileCalls.flock(second, 2 | 4); return ""; }));
            t.add(outcome(() -> { FileCalls.flock(second, 1 | 4); return ""; }));
            t.add(outcome(() -> { FileCalls.flock(first, 8); FileCalls.flock(second, 2 | 4); return "after unlock"; }));
        } finally {
            Libc.close(first);
            Libc.close(second);
        }
    }

    private static void direct(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("image");
        FsCall.writeFile(f, "D".repeat(8192));
        int fd = FsCall.open(f, O_RDWR | O_DIRECT, 0);
        try {
            t.add(outcome(() -> FsCall.read(fd, 4096, 4096).substring(0, 8)));
        } finally {
            Libc.close(fd);
        }
    }

    private static void fallocate(Path base, List<String> t) throws LinuxException {
        Path f = base.resolve("f");
        int fd = FsCall.open(f, O_RDWR | O_CREAT, 0644);
        try {
            t.add(outcome(() -> { FileCalls.fallocate(fd, 0, 0, 65536); return FsCall.stat(f); }));
            t.add(outcome(() -> { FileCalls.fallocate(fd, 1, 0, 1 << 20); return FsCall.stat(f); }));
        } finally {
            Libc.close(fd);
        }
    }

    private static void nameTooLong(Path base, List<String> t) {
        String longest = "n".repeat(255), tooLong = "n".repeat(256);
        t.add(outcome(() -> { FsCall.writeFile(base.resolve(longest), "ok"); return FsCall.readFile(base.resolve(longest)); }));
        t.add(outcome(() -> { FsCall.writeFile(base.resolve(tooLong), "no"); return ""; }));
        t.add(outcome(() -> { FileCalls.mkdirat(AT_FDCWD, base.resolve(tooLong).toString(), 0755); return ""; }));
        t.add(outcome(() -> FsCall.stat(base.resolve(tooLong))));
    }

    /**
     * Permissions as on the HOST: a user other than root is refused what the modes refuse (EACCES, EPERM), on the
     * mount as locally. The calls run in a python process under setpriv, on the DPU for the mount.
     */
    @Test
    void permissionsApplyToOrdinaryUsers() throws Exception {
        List<String> local = asUser(Path.of(LOCAL + "/perm"), false);
        List<String> mounted = asUser(Path.of(MOUNT + "/perm"), true);
        assertThat(mounted).isEqualTo(local).contains("write-root-file EACCES", "create-in-root-dir EACCES",
                "1000 1000 mkdir-own ok", "1000 symlink-own ok", "1000 1000 fifo-own ok", "2000 0o2000 mkdir-in-setgid-dir ok");
    }

    private static List<String> asUser(Path base, boolean onDpu) throws IOException {
        String setup = "rm -rf " + base + " && mkdir -p " + base + "/closed " + base + "/open && chmod 755 " + base + "/closed"
                + " && chmod 1777 " + base + "/open && echo secret > " + base + "/secret && chmod 600 " + base + "/secret"
                + " && echo mine > " + base + "/open/root-file"
                + " && mkdir " + base + "/shared && chown root:2000 " + base + "/shared && chmod 2777 " + base + "/shared";
        String probe = """
                import os, sys
                base = sys.argv[1]
                def attempt(name, call):
                    try:
                        call()
                        print(name, "ok")
                    except OSError as e:
                        import errno
                        print(name, errno.errorcode[e.errno])
                attempt("read-secret", lambda: open(base + "/secret").read())
                attempt("write-root-file", lambda: open(base + "/open/root-file", "a").write("x"))
                attempt("create-in-root-dir", lambda: open(base + "/closed/new", "w"))
                attempt("chmod-root-file", lambda: os.chmod(base + "/open/root-file", 0o777))
                attempt("unlink-in-sticky-dir", lambda: os.unlink(base + "/open/root-file"))
                attempt("create-own", lambda: open(base + "/open/own", "w").write("own"))
                attempt("stat-own", lambda: print(oct(os.stat(base + "/open/own").st_mode), os.stat(base + "/open/own").st_uid, end=" "))
                # a set-group-ID directory gives new files its group, not the creator's
                attempt("create-in-setgid-dir", lambda: open(base + "/shared/f", "w").write("f"))
                attempt("group-in-setgid-dir", lambda: print(os.stat(base + "/shared/f").st_gid, end=" "))
                # nodes made otherwise than by open are the caller's too (the server makes them as root, then gives them)
                attempt("mkdir-own", lambda: (os.mkdir(base + "/open/d"), print(os.stat(base + "/open/d").st_uid, os.stat(base + "/open/d").st_gid, end=" ")))
                attempt("symlink-own", lambda: (os.symlink("target", base + "/open/l"), print(os.lstat(base + "/open/l").st_uid, end=" ")))
                attempt("fifo-own", lambda: (os.mkfifo(base + "/open/p"), print(os.stat(base + "/open/p").st_uid, os.stat(base + "/open/p").st_gid, end=" ")))
                attempt("mkdir-in-setgid-dir", lambda: (os.mkdir(base + "/shared/d"), print(os.stat(base + "/shared/d").st_gid, oct(os.stat(base + "/shared/d").st_mode & 0o2000), end=" ")))
                """;
        List<String> command = List.of("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "/usr/bin/python3", "-c", probe, base.toString());
        CommandResult result;
        if (onDpu) {
            rfs.dpu().shell(setup);
            result = rfs.dpu().run(Duration.ofSeconds(60), command.toArray(String[]::new));
        } else {
            Commands.check("sh", "-c", setup);
            result = Commands.run(command, Duration.ofSeconds(60));
        }
        return result.stdout().lines().toList();
    }
}
