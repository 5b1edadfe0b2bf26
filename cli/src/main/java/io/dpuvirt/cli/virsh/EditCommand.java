package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;
import io.dpuvirt.rpc.remote.DomainFlags;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.StringValue;
import io.dpuvirt.rpc.remote.XmlFlags;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.NonnullDomain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static io.dpuvirt.cli.virsh.OptionSpec.flag;
import static io.dpuvirt.cli.virsh.OptionSpec.required;

/**
 * {@code virsh edit}: the persistent definition in $VISUAL or $EDITOR (vi by default), defined again
 * with schema validation when it changed.
 */
final class EditCommand {
    private static final int XML_SECURE_INACTIVE = 3;
    private static final int DEFINE_VALIDATE = 1;

    private EditCommand() {
    }

    static Command command() {
        return Command.of("edit", EditCommand::edit, required("domain"), flag("skip-validate"));
    }

    private static void edit(Session session, Options options) throws VirshException, RemoteCallException {
        NonnullDomain domain = session.domain(options.required("domain"));
        String original = session.call(RemoteCalls.GET_XML_DESC, new DomainFlags(domain, XML_SECURE_INACTIVE)).value();
        Path file = null;
        try {
            file = Files.createTempFile("virsh", ".xml", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, original, StandardCharsets.UTF_8);
            runEditor(file);
            String edited = Files.readString(file, StandardCharsets.UTF_8);
            if (edited.equals(original)) {
                session.output().printExtra("Domain '" + domain.name() + "' XML configuration not changed.\n");
                return;
            }
            NonnullDomain defined = define(session, edited, !options.flag("skip-validate"));
            session.output().printExtra("Domain '" + defined.name() + "' XML configuration edited.\n");
        } catch (IOException e) {
            throw new VirshException("cannot edit the definition of domain '" + domain.name() + "': " + e.getMessage());
        } finally {
            deleteQuietly(file);
        }
    }

    /** As virsh: validating if asked, and without the flag when the daemon does not know it. */
    private static NonnullDomain define(Session session, String xml, boolean validate)
            throws VirshException, RemoteCallException {
        if (validate) {
            try {
                return session.call(RemoteCalls.DEFINE_XML_FLAGS, new XmlFlags(xml, DEFINE_VALIDATE)).dom();
            } catch (RemoteCallException e) {
                if (!e.is(ErrorCode.NO_SUPPORT)) {
                    throw e;
                }
            }
        }
        return session.call(RemoteCalls.DEFINE_XML, new StringValue(xml)).dom();
    }

    private static void runEditor(Path file) throws VirshException, IOException {
        String editor = Optional.ofNullable(System.getenv("VISUAL")).filter(e -> !e.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("EDITOR")).filter(e -> !e.isBlank()))
                .orElse("vi");
        try {
            int status = new ProcessBuilder("/bin/sh", "-c", editor + " \"$1\"", "sh", file.toString())
                    .inheritIO().start().waitFor();
            if (status != 0) {
                throw new VirshException("editor '" + editor + "' exited with status " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirshException("interrupted while waiting for the editor");
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.err.println("warning: cannot remove " + file + ": " + e.getMessage());
            }
        }
    }
}
