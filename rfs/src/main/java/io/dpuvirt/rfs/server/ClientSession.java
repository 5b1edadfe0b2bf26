package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.Whitelist.Section;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.rfs.wire.MessageType;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.WireException;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One client connection: HELLO names the export ([Mount] must cover it), then requests are read and answered
 * here, in order, straight from the receive buffer: each is a few system calls on regular files and directories
 * (the DPU's kernel keeps FIFOs and device nodes to itself), and a hand-off to another thread would cost more than
 * the work. Only what may take long (fsync, fallocate) runs on a worker thread, which sends its own reply. When
 * the connection ends, its files are closed once the last worker has finished (a descriptor number must not be
 * reused under a worker).
 */
final class ClientSession {
    private static final ThreadLocal<WireWriter> REPLY = ThreadLocal.withInitial(() -> new WireWriter(64 * 1024));

    private final LinkConnection connection;
    private final Supplier<ExportPolicy> policy;
    private final ExecutorService workers;
    private final OpenFiles files = new OpenFiles();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean ended;
    private Export export;
    private NodeOperations nodes;
    private TreeOperations tree;
    private FileOperations fileOps;

    ClientSession(LinkConnection connection, Supplier<ExportPolicy> policy, ExecutorService workers) {
        this.connection = connection;
        this.policy = policy;
        this.workers = workers;
    }

    void serve() {
        try {
            if (welcome()) {
                readRequests();
            }
        } catch (EOFException e) {
            Log.info("rfs client " + connection.peer() + " disconnected");
        } catch (IOException e) {
            Log.warn("rfs client " + connection.peer() + ": " + e.getMessage());
        } finally {
            connection.abort();
            ended = true;
            if (running.get() == 0) {
                release();
            }
        }
    }

    private boolean welcome() throws IOException {
        Frame hello = connection.receive();
        WireReader in = new WireReader(hello.payload());
        if (hello.type() != MessageType.HELLO) {
            throw new WireException("expected HELLO, got frame type " + hello.type());
        }
        int version = in.u32();
        String path = in.string();
        if (version != MessageType.PROTOCOL_VERSION) {
            return refuse(Errno.EPROTOTYPE, "protocol version " + version + " (this server speaks " + MessageType.PROTOCOL_VERSION + ")");
        }
        try {
            if (!path.startsWith("/")) {
                return refuse(Errno.EINVAL, "export path must be absolute: " + path);
            }
            export = Export.open(path);
        } catch (IOException e) {
            return refuse(e instanceof LinuxException l ? l.errno() : Errno.ENOENT, "cannot open " + path + ": " + e.getMessage());
        }
        if (!policy.get().allows(Section.MOUNT, export.root())) {
            return refuse(Errno.EACCES, export.root() + " is not under [Mount] of the whitelist");
        }
        Guard guard = new Guard(export, policy, connection.peer());
        nodes = new NodeOperations(export, guard, files);
        tree = new TreeOperations(export, guard);
        fileOps = new FileOperations(export, guard, files);
        WireWriter out = REPLY.get().reset();
        out.u64(0);
        Nodes.stat(export, "").write(out);
        connection.sendInPlace(MessageType.WELCOME, 0, out.frame(), out.length());
        Log.info("rfs client " + connection.peer() + " mounted " + export.root());
        return true;
    }

    private boolean refuse(int errno, String reason) throws IOException {
        Log.warn("rfs client " + connection.peer() + " refused: " + reason);
        WireWriter out = REPLY.get().reset();
        out.u32(errno).string(reason);
        connection.sendInPlace(MessageType.REFUSED, 0, out.frame(), out.length());
        return false;
    }

    private void readRequests() throws IOException {
        while (true) {
            Frame frame = connection.receive();
            switch (frame.type()) {
                case MessageType.PING -> connection.send(MessageType.PONG);
                case MessageType.REQUEST -> {
                    if (mayTakeLong(frame.payload())) {
                        submit(frame.payload().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    } else {
                        running.incrementAndGet();
                        run(frame.payload());
                    }
                }
                default -> throw new WireException("unexpected frame type " + frame.type());
            }
        }
    }

    /**
     * fsync and fallocate may wait for a disk, and a read of a /proc or /sys file for good (/proc/kmsg): they must not
     * hold up the requests behind them, nor the link's pings.
     */
    private boolean mayTakeLong(MemorySegment request) throws WireException {
        WireReader in = new WireReader(request);
        in.u64();
        Op op = Op.ofCode(in.u8());
        if (op == Op.READ) {
            in.u32(); // uid
            in.u32(); // gid
            OpenFiles.OpenFile file = files.find(in.u64());
            return file != null && file.pseudo;
        }
        return op == Op.FSYNC || op == Op.FALLOCATE;
    }

    private void submit(byte[] request) {
        running.incrementAndGet();
        try {
            workers.execute(() -> run(MemorySegment.ofArray(request)));
        } catch (RejectedExecutionException e) {
            // answered here rather than never (its caller's fsync would wait for good), holding up the requests behind
            Log.warn("rfs: no worker free for a request of " + connection.peer() + ": running it on the connection's reader");
            run(MemorySegment.ofArray(request));
        }
    }

    private void run(MemorySegment request) {
        try {
            WireReader in = new WireReader(request);
            long id = in.u64();
            Op op = Op.ofCode(in.u8());
            Caller caller = new Caller(in.u32(), in.u32());
            WireWriter out = REPLY.get().reset();
            out.u64(id).u32(0);
            try {
                dispatch(op, in, out, caller);
            } catch (LinuxException e) {
                out.reset().u64(id).u32(e.errno());
                if (Log.enabled(Log.Level.DEBUG)) {
                    Log.debug(op + " failed: " + e.getMessage());
                }
            }
            connection.sendInPlace(MessageType.REPLY, 0, out.frame(), out.length());
        } catch (WireException e) {
            Log.error("rfs client " + connection.peer() + " sent a malformed request (" + e.getMessage() + "): closing");
            connection.abort();
        } catch (IOException e) {
            connection.abort(); // the link broke under the reply: the reader notices and ends the session
        } catch (RuntimeException e) {
            Log.error("rfs: request failed unexpectedly: " + e);
            connection.abort();
        } finally {
            finished();
        }
    }

    private void finished() {
        if (running.decrementAndGet() == 0 && ended) {
            release();
        }
    }

    private synchronized void release() {
        if (export != null) {
            files.close();
            export.close();
            export = null;
        }
    }

    private void dispatch(Op op, WireReader in, WireWriter out, Caller caller) throws LinuxException, WireException {
        switch (op) {
            case LOOKUP -> nodes.lookup(in, out);
            case GETATTR -> nodes.getattr(in, out);
            case SETATTR -> nodes.setattr(in, out);
            case READLINK -> nodes.readlink(in, out);
            case STATFS -> nodes.statfs(in, out);
            case GETXATTR -> nodes.getxattr(in, out);
            case LISTXATTR -> nodes.listxattr(in, out);
            case SETXATTR -> nodes.setxattr(in, out);
            case REMOVEXATTR -> nodes.removexattr(in, out);
            case LISTDIR -> nodes.listdir(in, out);
            case LOOKUPS -> nodes.lookups(in, out);
            case MKNOD -> tree.mknod(in, out, caller);
            case MKDIR -> tree.mkdir(in, out, caller);
            case SYMLINK -> tree.symlink(in, out, caller);
            case LINK -> tree.link(in, out);
            case UNLINK -> tree.unlink(in, out);
            case RMDIR -> tree.rmdir(in, out);
            case RENAME -> tree.rename(in, out);
            case OPEN -> fileOps.open(in, out);
            case CREATE -> fileOps.create(in, out, caller);
            case READ -> fileOps.read(in, out);
            case WRITE -> fileOps.write(in, out);
            case RELEASE -> fileOps.release(in);
            case FLUSH -> fileOps.flush(in);
            case FSYNC -> fileOps.fsync(in);
            case FALLOCATE -> fileOps.fallocate(in);
            case LSEEK -> fileOps.lseek(in, out);
            case GETLK -> fileOps.getlk(in, out);
            case SETLK -> fileOps.setlk(in);
        }
    }
}
