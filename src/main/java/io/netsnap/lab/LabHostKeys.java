package io.netsnap.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Host keys for lab devices. A lab device must keep its key across runs, or every {@code netsnap lab} start would look
 * like a man-in-the-middle to the pinned known-hosts check.
 */
public final class LabHostKeys {

    private static final int EC_P256 = 256;

    private LabHostKeys() {
    }

    /**
     * Loads the key pair stored in {@code file}, or generates an EC P-256 pair and stores it there as an unencrypted
     * OpenSSH private key readable by the owner only. A file that exists but holds no readable key is an error, never
     * silently replaced (MINA's {@code SimpleGeneratorHostKeyProvider} would fall back to a throwaway key).
     */
    public static KeyPair loadOrCreate(Path file) {
        try {
            return Files.exists(file) ? load(file) : create(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load or create the lab host key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load or create the lab host key " + file, e);
        }
    }

    private static KeyPair load(Path file) throws IOException, GeneralSecurityException {
        PathResource resource = new PathResource(file);
        try (InputStream in = resource.openInputStream()) {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, resource, in, null);
            Iterator<KeyPair> iterator = keys == null ? null : keys.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new GeneralSecurityException("no private key in " + file);
            }
            return iterator.next();
        }
    }

    private static KeyPair create(Path file) throws IOException, GeneralSecurityException {
        KeyPair key = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, EC_P256);
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        // On POSIX file systems a temporary file is created readable by its owner only.
        Path temporary = Files.createTempFile(directory, ".hostkey", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "netsnap-lab", null, out);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return key;
    }
}
