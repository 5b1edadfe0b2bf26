package io.dpuvirt.fabric.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pre-shared key both ends of a link hold. The key file is refused when group or others may read it:
 * a key the whole machine can read authenticates nobody.
 */
public final class LinkKey {
    public static final int MIN_BYTES = 16;
    public static final int MAX_BYTES = 4096;
    private static final String HMAC = "HmacSHA256";

    private final byte[] secret;
    private final String origin;

    private LinkKey(byte[] secret, String origin) {
        this.secret = secret;
        this.origin = origin;
    }

    public static LinkKey load(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        for (PosixFilePermission permission : permissions) {
            if (permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS")) {
                throw new IOException("key file " + file + " is accessible by group or others (mode "
                        + PosixFilePermissions.toString(permissions) + "): chmod 600 " + file);
            }
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("key file " + file + " is not a regular file");
        }
        long size = Files.size(file);
        if (size < MIN_BYTES || size > MAX_BYTES) {
            throw new IOException("key file " + file + " has " + size + " bytes; a key has " + MIN_BYTES + " to "
                    + MAX_BYTES + " (make one with: head -c 32 /dev/urandom > " + file + "; chmod 600 " + file + ")");
        }
        return new LinkKey(Files.readAllBytes(file), file.toString());
    }

    /** A key held in memory (tests; a key file is the way to configure one). */
    public static LinkKey of(byte[] secret) {
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("a key has at least " + MIN_BYTES + " bytes");
        }
        return new LinkKey(secret.clone(), "memory");
    }

    /** HMAC-SHA256 of the parts, each prefixed by its length so that no two part lists share a MAC input. */
    byte[] mac(byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            for (byte[] part : parts) {
                mac.update(new byte[] {(byte) (part.length >>> 8), (byte) part.length});
                mac.update(part);
            }
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(HMAC + " unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "key from " + origin;
    }

    /** Overwrites the secret (the daemon calls this when it stops). */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
    }
}
