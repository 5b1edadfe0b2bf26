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
import java.util.ArrayList;
import java.util.List;
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
        Edit edit = new Edit(session, domain, new ReeditQuestion(session.output(), System.in));
        String original = edit.currentXml();
        Path file = null;
        boolean keep = false;
        try {
            file = Files.createTempFile(temporaryDirectory(), "virsh", ".xml", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, original, StandardCharsets.UTF_8);
            List<String> unanswered = edit.run(file, original, !options.flag("skip-validate"));
            if (!unanswered.isEmpty()) {
                keep = true;
                throw new VirshException(unanswered.toArray(String[]::new));
            }
        } catch (IOException e) {
            throw new VirshException("cannot edit the definition of domain '" + domain.name() + "': " + e.getMessage());
        } finally {
            if (!keep) {
                deleteQuietly(file);
            }
        }
    }

    /** $TMPDIR or /tmp, as virsh. */
    private static Path temporaryDirectory() {
        return Optional.ofNullable(System.getenv("TMPDIR")).filter(d -> !d.isEmpty()).map(Path::of).orElse(Path.of("/tmp"));
    }

    /**
     * virsh's edit loop: the editor, then the definition read again (someone else may have changed it meanwhile),
     * then the define; a failure asks whether to edit again, define again, define without validation or give up.
     */
    private record Edit(Session session, NonnullDomain domain, ReeditQuestion question) {
        String currentXml() throws VirshException, RemoteCallException {
            return session.call(RemoteCalls.GET_XML_DESC, new DomainFlags(domain, XML_SECURE_INACTIVE)).value();
        }

        /**
         * Edits until defined, unchanged or given up (an exception); when the edits could not be defined and nobody was
         * there to answer, the lines to report, the last saying that the file keeps them.
         */
        List<String> run(Path file, String original, boolean validate) throws IOException, VirshException, RemoteCallException {
            String base = original;
            boolean validating = validate;
            while (true) { // the editor
                runEditor(file);
                String edited = Files.readString(file, StandardCharsets.UTF_8);
                if (edited.equals(base)) {
                    session.output().printExtra("Domain '" + domain.name() + "' XML configuration not changed.\n");
                    return List.of();
                }
                boolean withoutValidationOffered = true; // after every edit, as virsh (even with --skip-validate)
                ReeditQuestion.Answer answer;
                do { // the define
                    String message;
                    String reread = currentXml();
                    List<String> errors = List.of();
                    if (!reread.equals(base)) {
                        message = "The XML configuration was changed by another user.";
                        base = reread;
                    } else {
                        errors = defineOrErrors(edited, validating);
                        if (errors.isEmpty()) {
                            return List.of();
                        }
                        message = "Failed.";
                    }
                    Optional<ReeditQuestion.Answer> given = question.ask(message, errors, withoutValidationOffered);
                    if (given.isEmpty()) {
                        List<String> lines = new ArrayList<>(errors);
                        lines.add(message + " The edited definition is kept in " + file);
                        return lines;
                    }
                    answer = given.get();
                    if (answer == ReeditQuestion.Answer.DISCARD) {
                        throw new VirshException(); // as virsh: the edits are dropped, the status says so
                    }
                    if (answer == ReeditQuestion.Answer.WITHOUT_VALIDATION) {
                        validating = false;
                        withoutValidationOffered = false;
                    }
                } while (answer != ReeditQuestion.Answer.EDIT_AGAIN);
            }
        }

        /** Defines the edited text: nothing when it was, else the lines virsh prints for the failure. */
        private List<String> defineOrErrors(String xml, boolean validate) throws VirshException {
            try {
                NonnullDomain defined = define(session, xml, validate);
                session.output().printExtra("Domain '" + defined.name() + "' XML configuration edited.\n");
                return List.of();
            } catch (RemoteCallException e) {
                return List.of(e.error().message().orElse("unknown error"));
            }
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
