package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.PeerCredentials;

import java.io.IOException;

/**
 * Serves file requests: each located by {@link FileAreas} (or refused), done by {@link FileOperations}, and
 * answered FILE_DATA, BOOLEAN or DONE; or FAILED with the refusal, or the errno of the call that failed. Refusals
 * are logged as warnings, changes made as information.
 */
final class FileService {
    private final FileAreas areas;
    /** Whose a private directory is: the server's own uid. */
    private final int uid;

    FileService(FileAreas areas, int uid) {
        this.areas = areas;
        this.uid = uid;
    }

    void serve(SessionOutput output, PeerCredentials peer, FileRequest request) {
        try {
            switch (request) {
                case FileRequest.Read read -> output.fileData(FileOperations.read(areas.locate(read.path(), FileAreas.Access.READ), Protocol.MAX_FILE));
                case FileRequest.Exists exists -> output.answer(FileOperations.exists(areas.locate(exists.path(), FileAreas.Access.EXISTS)));
                case FileRequest.Write write -> {
                    FileOperations.write(areas.locate(write.path(), FileAreas.Access.CHANGE), write.mode(), write.content());
                    Log.info(describe(request, peer) + ": wrote " + write.content().length() + " bytes, mode 0" + Integer.toOctalString(write.mode()));
                    output.done();
                }
                case FileRequest.Delete delete -> {
                    boolean deleted = FileOperations.delete(areas.locate(delete.path(), FileAreas.Access.CHANGE));
                    Log.info(describe(request, peer) + (deleted ? ": deleted" : ": nothing to delete"));
                    output.answer(deleted);
                }
                case FileRequest.MakeDirectories directories -> {
                    FileOperations.createDirectories(areas.locate(directories.path(), FileAreas.Access.CREATE_DIRECTORIES), directories.mode());
                    Log.info(describe(request, peer) + ": created what was missing, mode 0" + Integer.toOctalString(directories.mode()));
                    output.done();
                }
                case FileRequest.MakePrivateDirectory directory -> {
                    FileOperations.createPrivateDirectory(areas.locate(directory.path(), FileAreas.Access.CHANGE), uid);
                    Log.info(describe(request, peer) + ": uid " + uid + "'s, mode 0700");
                    output.done();
                }
            }
        } catch (RequestRefusedException e) {
            Log.warn(describe(request, peer) + " refused: " + e.getMessage());
            output.failed(e.failure());
        } catch (LinuxException e) {
            Log.info(describe(request, peer) + " failed: " + Errno.describe(e.errno()));
            output.failed(Failure.ofErrno(e.errno()));
        } catch (IOException e) { // what CanonicalPaths could not resolve, for a reason without an errno
            Log.warn(describe(request, peer) + " refused: " + e.getMessage());
            output.failed(RequestRefusedException.refused(request.path() + ": " + e.getMessage()).failure());
        }
    }

    /** For the log only: reads and existence checks that succeed log nothing, and build nothing either. */
    private static String describe(FileRequest request, PeerCredentials peer) {
        return Protocol.typeName(request.type()) + " " + request.path() + " for peer pid " + peer.pid() + " (uid " + peer.uid() + ")";
    }
}
