package io.dpuvirt.cli.offload;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What the link's key file held when a daemon that reads it at its start was started: the SHA-256 of its content, in
 * hex, never the key. A key rotated in place (same path, a new key) changes no command line; this tells that the
 * daemon still authenticates with the old key. For a random key it gives nothing away, but it would let a guess of a
 * weak, human-chosen one be tested offline: the pid files that record it are root's alone.
 *
 * @param file   the key file, to name it
 * @param sha256 its content's SHA-256, 64 hexadecimal digits
 */
record KeyFingerprint(Path file, String sha256) {
    private static final String HEX_SHA256 = "[0-9a-f]{64}";

    KeyFingerprint {
        Objects.requireNonNull(file, "file");
        if (!isHexSha256(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 in hex: '" + sha256 + "'");
        }
    }

    /** Whether {@code text} has the form of a fingerprint (as a pid file holds it). */
    static boolean isHexSha256(String text) {
        return text.matches(HEX_SHA256);
    }

    /** The fingerprint of what {@code file} holds now; the error names the file as {@code up} names the link's key. */
    static KeyFingerprint of(Path file) throws OffloadException {
        byte[] key;
        try {
            key = Files.readAllBytes(file);
        } catch (IOException e) {
            throw unusable(file, e);
        }
        try {
            return new KeyFingerprint(file, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** "--key FILE: why", for a key file that cannot be read or is refused ({@code LinkKey.load}'s reasons). */
    static OffloadException unusable(Path file, IOException e) {
        // the two common causes carry nothing but the path as their message
        String why = switch (e) {
            case NoSuchFileException _ -> "no such file";
            case AccessDeniedException _ -> "permission denied (up and check read it: run them as root)";
            default -> e.getMessage();
        };
        return new OffloadException("--key " + file + ": " + why);
    }
}
