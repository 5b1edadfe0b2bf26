import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The in-memory file system of RawFuseProbe through jfuse 0.7 (libfuse3's high-level API through FFM), for
 * bench/fuse-layer. Every operation it lists is implemented: jfuse crashes the JVM on a declared one that is not.
 * Usage: java -cp JFUSE_JARS JfuseProbe.java MOUNTPOINT
 */
public class JfuseProbe implements FuseOperations {
    static final int FILES = 10_000;
    static final long BIG = 1L << 30;
    private final Errno errno;

    JfuseProbe(Errno errno) {
        this.errno = errno;
    }

    public static void main(String[] args) throws Exception {
        var builder = Fuse.builder();
        builder.setLibraryPath("/usr/lib/x86_64-linux-gnu/libfuse3.so.3");
        Fuse fuse = builder.build(new JfuseProbe(builder.errno()));
        fuse.mount("jfuseprobe", Path.of(args[0]), "-oattr_timeout=0", "-oentry_timeout=0", "-onegative_timeout=0",
                "-oallow_other");
        System.out.println("ready");
        new CountDownLatch(1).await();
    }

    @Override
    public Errno errno() {
        return errno;
    }

    @Override
    public Set<Operation> supportedOperations() {
        return EnumSet.of(Operation.GET_ATTR, Operation.OPEN, Operation.READ, Operation.RELEASE, Operation.OPEN_DIR,
                Operation.READ_DIR, Operation.RELEASE_DIR);
    }

    private static long sizeOf(String path) {
        if (path.equals("/big")) {
            return BIG;
        }
        if (path.length() == 7 && path.startsWith("/f") && Integer.parseInt(path.substring(2)) < FILES) {
            return 0;
        }
        return -1;
    }

    @Override
    public int getattr(String path, Stat stat, FileInfo fi) {
        if (path.equals("/")) {
            stat.setMode(040755);
            stat.setNLink((short) 2);
            return 0;
        }
        long size = sizeOf(path);
        if (size < 0) {
            return -errno.enoent();
        }
        stat.setMode(0100644);
        stat.setNLink((short) 1);
        stat.setSize(size);
        return 0;
    }

    @Override
    public int open(String path, FileInfo fi) {
        return sizeOf(path) < 0 ? -errno.enoent() : 0;
    }

    @Override
    public int read(String path, ByteBuffer buf, long size, long offset, FileInfo fi) {
        int n = (int) Math.max(0, Math.min(size, sizeOf(path) - offset));
        for (int i = 0; i < n; i += 8) {
            buf.putLong(0);
        }
        return n;
    }

    @Override
    public int release(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int opendir(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
        for (long index = offset; index < FILES + 1; index++) {
            String name = index == FILES ? "big" : String.format("f%05d", index);
            if (filler.fill(name, stat -> { }, index + 1, 0) != 0) {
                break;
            }
        }
        return 0;
    }

    @Override
    public int releasedir(String path, FileInfo fi) {
        return 0;
    }
}
