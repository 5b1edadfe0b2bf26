package io.dpuvirt.rfs.server;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.fabric.link.Handshake;
import io.dpuvirt.fabric.link.LinkEndpoint;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.Transport;
import io.dpuvirt.rfs.wire.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server on its own, spoken to by a hand-made client that tries to get out of the export and past the
 * whitelist: {@code ..}, absolute paths, symlinks (absolute, relative, and a directory swapped for one), /proc's
 * magic links, NUL bytes; and every operation against a whitelist that does not allow it.
 */
class ServerSecurityTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    @TempDir
    Path temp;
    private Path export;
    private Path outside;
    private RfsServer server;
    private LinkEndpoint dialer;
    private RawClient client;

    @BeforeEach
    void start() throws Exception {
        export = Files.createDirectories(temp.resolve("export"));
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectories(export.resolve("readable"));
        Files.writeString(export.resolve("readable/f"), "readable");
        Files.createDirectories(export.resolve("other"));
        Files.writeString(export.resolve("other/f"), "other");
        Files.createSymbolicLink(export.resolve("abs"), outside);
        Files.createSymbolicLink(export.resolve("rel"), Path.of("../outside"));
        Files.createSymbolicLink(export.resolve("abs-file"), outside.resolve("secret"));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (dialer != null) {
            dialer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void serve(String whitelist) throws Exception {
        Path file = temp.resolve("whitelist");
        Files.writeString(file, whitelist);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        SockAddr.Inet address;
        for (int attempt = 1; ; attempt++) {
            address = SockAddr.Inet.of("127.0.0.1", port());
            try {
                server = RfsServer.start(new Transport.Tcp(address, address), LinkKey.of(KEY), file);
                break;
            } catch (LinuxException e) {
                if (!e.is(Errno.EADDRINUSE) || attempt == 20) {
                    throw e;
                }
            }
        }
        dialer = new LinkEndpoint(new Transport.Tcp(SockAddr.Inet.of("127.0.0.1", 0), address), new Handshake(LinkKey.of(KEY)),
                Executors.newSingleThreadExecutor());
    }

    private RawClient mount(String path) throws IOException {
        Object answer = RawClient.connect(dialer, path);
        assertThat(answer).as("mounting " + path).isInstanceOf(RawClient.class);
        client = (RawClient) answer;
        return client;
    }

    private static String allowAll(Path directory) {
        StringBuilder text = new StringBuilder();
        for (String section : new String[] {"Mount", "Open", "Read", "Write", "Readdir", "Mkdir", "Rmdir", "Create",
                "Unlink", "Rename", "Setattr", "Setxattr"}) {
            text.append('[').append(section).append("]\nPath=").append(directory).append('\n');
        }
        return text.toString();
    }

    @Test
    void noPathLeadsOutOfTheExport() throws Exception {
        serve(allowAll(export));
        RawClient c = mount(export.toString());
        assertThat(c.errnoOf(Op.LOOKUP, w -> w.string("readable/f"))).isEqualTo("ok");
        for (String escape : new String[] {"..", "../outside/secret", "readable/../../outside/secret", "/etc/passwd",
                "readable//f", "./readable", "readable/.", "a\0b"}) {
            assertThat(c.errnoOf(Op.LOOKUP, w -> w.string(escape))).as(escape).isEqualTo("EINVAL");
            assertThat(c.errnoOf(Op.OPEN, w -> w.string(escape).u32(0))).as("open " + escape).isEqualTo("EINVAL");
        }
        for (String throughSymlink : new String[] {"abs/secret", "rel/secret"}) {
            assertThat(c.errnoOf(Op.LOOKUP, w -> w.string(throughSymlink))).as(throughSymlink).isEqualTo("ELOOP");
            assertThat(c.errnoOf(Op.OPEN, w -> w.string(throughSymlink).u32(0))).isEqualTo("ELOOP");
            assertThat(c.errnoOf(Op.MKDIR, w -> w.string(throughSymlink + "-new").u32(0755))).isEqualTo("ELOOP");
            assertThat(c.errnoOf(Op.LINK, w -> w.string(throughSymlink).string("stolen"))).isEqualTo("ELOOP");
            assertThat(c.errnoOf(Op.RENAME, w -> w.string(throughSymlink).string("moved").u32(0))).isEqualTo("ELOOP");
            assertThat(c.errnoOf(Op.SETATTR, w -> w.string(throughSymlink).u64(-1).u32(1).u32(0777).u32(0).u32(0)
                    .u64(0).u64(0).u32(0).u64(0).u32(0))).isEqualTo("ELOOP");
        }
        assertThat(c.errnoOf(Op.LISTDIR, w -> w.string("rel").u64(0))).isIn("ELOOP", "ENOTDIR"); // O_DIRECTORY on a link
        // a symlink itself is visible as a symlink (the DPU follows it, in its own view); opening it is refused
        assertThat(c.errnoOf(Op.LOOKUP, w -> w.string("abs-file"))).isEqualTo("ok");
        assertThat(c.errnoOf(Op.OPEN, w -> w.string("abs-file").u32(0))).isEqualTo("ELOOP");
        assertThat(c.errnoOf(Op.SETATTR, w -> w.string("abs-file").u64(-1).u32(1).u32(0777).u32(0).u32(0)
                .u64(0).u64(0).u32(0).u64(0).u32(0))).isEqualTo("EOPNOTSUPP");
        // a directory swapped for a symlink after the client looked it up
        Files.move(export.resolve("other"), export.resolve("other.old"));
        Files.createSymbolicLink(export.resolve("other"), outside);
        assertThat(c.errnoOf(Op.OPEN, w -> w.string("other/secret").u32(0))).isEqualTo("ELOOP");
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside.resolve("secret")))).isNotEqualTo("rwxrwxrwx");
    }

    @Test
    void procMagicLinksAreNotFollowed() throws Exception {
        serve("[Mount]\nPath=/proc\n[Open]\nPath=/proc\n[Read]\nPath=/proc\n[Readdir]\nPath=/proc\n");
        RawClient c = mount("/proc");
        assertThat(c.errnoOf(Op.LOOKUP, w -> w.string("self/status"))).isEqualTo("ELOOP"); // /proc/self is a symlink
        String pid = Long.toString(ProcessHandle.current().pid());
        assertThat(c.errnoOf(Op.LOOKUP, w -> w.string(pid + "/status"))).isEqualTo("ok");
        assertThat(c.errnoOf(Op.OPEN, w -> w.string(pid + "/root/etc/passwd").u32(0))).isEqualTo("ELOOP");
        assertThat(c.errnoOf(Op.OPEN, w -> w.string(pid + "/cwd").u32(0))).isEqualTo("ELOOP");
        assertThat(c.errnoOf(Op.READLINK, w -> w.string(pid + "/cwd"))).isEqualTo("ok");
    }

    @Test
    void mountNeedsTheMountSectionByWholeComponents() throws Exception {
        serve("[Mount]\nPath=" + export + "\n");
        assertThat(RawClient.connect(dialer, outside.toString())).isEqualTo("EACCES");
        Files.createDirectories(Path.of(export + "ed"));
        assertThat(RawClient.connect(dialer, export + "ed")).isEqualTo("EACCES");
        assertThat(RawClient.connect(dialer, export + "/../outside")).isEqualTo("EACCES");
        assertThat(RawClient.connect(dialer, "relative/path")).isEqualTo("EINVAL");
        assertThat(RawClient.connect(dialer, export.resolve("readable").toString())).isInstanceOf(RawClient.class);
    }

    @Test
    void everyOperationIsCheckedAgainstItsSection() throws Exception {
        Path readable = export.resolve("readable");
        serve("[Mount]\nPath=" + export + "\n[Open]\nPath=" + readable + "\n[Read]\nPath=" + readable + "\n"
                + "[Lookup]\nPath=" + readable + "\n");
        RawClient c = mount(export.toString());
        assertThat(c.errnoOf(Op.LOOKUP, w -> w.string("readable/f"))).isEqualTo("ok");
        assertThat(c.errnoOf(Op.LOOKUP, w -> w.string("other/f"))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.OPEN, w -> w.string("readable/f").u32(0))).isEqualTo("ok");
        assertThat(c.errnoOf(Op.OPEN, w -> w.string("other/f").u32(0))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.OPEN, w -> w.string("readable/f").u32(2))).as("no [Write]").isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.OPEN, w -> w.string("readable/f").u32(0x200))).as("O_TRUNC needs [Write]").isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.CREATE, w -> w.string("readable/g").u32(1).u32(0644))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.MKDIR, w -> w.string("readable/d").u32(0755))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.MKNOD, w -> w.string("readable/p").u32(0010644).u32(0))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.SYMLINK, w -> w.string("readable/s").blob("f".getBytes()))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.LINK, w -> w.string("readable/f").string("readable/h"))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.UNLINK, w -> w.string("readable/f"))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.RMDIR, w -> w.string("other"))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.RENAME, w -> w.string("readable/f").string("readable/g").u32(0))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.SETATTR, w -> w.string("readable/f").u64(-1).u32(1).u32(0777).u32(0).u32(0)
                .u64(0).u64(0).u32(0).u64(0).u32(0))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.SETXATTR, w -> w.string("readable/f").string("user.x").blob("1".getBytes()).u32(0))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.REMOVEXATTR, w -> w.string("readable/f").string("user.x"))).isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.LISTDIR, w -> w.string("readable").u64(0))).as("no [Readdir]").isEqualTo("EACCES");
        // sections the original lacked fall back to [Mount] when the file does not have them
        assertThat(c.errnoOf(Op.GETATTR, w -> w.string("other/f").u64(-1))).isEqualTo("ok");
        assertThat(c.errnoOf(Op.STATFS, w -> w.string(""))).isEqualTo("ok");
        assertThat(c.errnoOf(Op.GETXATTR, w -> w.string("readable/f").string("user.none").u32(0))).isEqualTo("ENODATA");
        assertThat(Files.exists(export.resolve("readable/g"))).isFalse();
        assertThat(Files.readString(export.resolve("readable/f"))).isEqualTo("readable");
    }

    @Test
    void aHardLinkGivesItsFileNoRightItsOldNameLacks() throws Exception {
        Path readable = export.resolve("readable");
        Path writable = Files.createDirectories(export.resolve("writable"));
        serve("[Mount]\nPath=" + export + "\n[Open]\nPath=" + export + "\n[Read]\nPath=" + export + "\n"
                + "[Write]\nPath=" + writable + "\n[Create]\nPath=" + export + "\n");
        RawClient c = mount(export.toString());
        assertThat(c.errnoOf(Op.LINK, w -> w.string("readable/f").string("writable/f"))).as("would make it writable").isEqualTo("EACCES");
        assertThat(c.errnoOf(Op.LINK, w -> w.string("readable/f").string("readable/g"))).as("the same rights").isEqualTo("ok");
        Files.writeString(writable.resolve("w"), "w");
        assertThat(c.errnoOf(Op.LINK, w -> w.string("writable/w").string("readable/w"))).as("fewer rights").isEqualTo("ok");
        assertThat(Files.exists(writable.resolve("f"))).isFalse();
        assertThat(Files.readString(readable.resolve("g"))).isEqualTo("readable");
    }

    @Test
    void aServerWithoutMountSectionDoesNotStart() throws Exception {
        Path file = temp.resolve("whitelist");
        Files.writeString(file, "[Open]\nPath=" + export + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        SockAddr.Inet address = SockAddr.Inet.of("127.0.0.1", port());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RfsServer.start(new Transport.Tcp(address, address), LinkKey.of(KEY), file))
                .hasMessageContaining("[Mount]");
    }

    /**
     * A port below the kernel's ephemeral range (32768 and up), from which outgoing connections, other tests' among
     * them, take theirs: a port from that range was seen taken between the pick and the bind.
     */
    private static int port() {
        return 20000 + ThreadLocalRandom.current().nextInt(12000);
    }
}
