package io.tarn.server;

import io.tarn.config.ConfigException;
import io.tarn.config.TarnConfig;
import io.tarn.util.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@code auth.encrypt.secret_key} comes from when it is not configured. With the in-memory
 * metadata store, a random key for this process (the secrets vanish with the store). With the
 * embedded defaults (RocksDB metadata and local or in-memory data), a key generated on first run and
 * kept next to the metadata in a file readable only by its owner. Anything else must configure it.
 */
final class SecretKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SecretKeys.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final String FILE_NAME = "tarn-auth-secret-key";

    /** What was decided, for the start-up log. */
    record Resolved(String key, String origin) {}

    private SecretKeys() {}

    static Resolved resolve(TarnConfig config) throws IOException {
        if (config.encryptSecretKey().isPresent()) {
            return new Resolved(config.encryptSecretKey().get(), "auth.encrypt.secret_key");
        }
        if (config.database().type().equals("mem")) {
            return new Resolved(random(), "a random key for this process (database.type is mem)");
        }
        if (config.database().type().equals("local") && !config.blockstore().type().equals("s3")) {
            Path file = config.database().localPath().resolve(FILE_NAME);
            return new Resolved(readOrCreate(file), file.toString());
        }
        throw new ConfigException("auth.encrypt.secret_key is required with database.type "
                + config.database().type() + " and blockstore.type " + config.blockstore().type()
                + " (set " + TarnConfig.envName("auth.encrypt.secret_key") + ")");
    }

    /**
     * Reads the key file, or creates it owner-only with a new key. The key is written to a private
     * temporary file first and then hard-linked into place (which fails if the name exists), so
     * nobody ever sees the file without its key, a crash leaves no empty key file, and of processes
     * racing on a fresh folder exactly one key wins. The key and its name are synced to disk before it
     * is used, and a folder created for it is owner-only.
     */
    private static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        Path folder = file.getParent();
        OwnerOnly.createDirectoriesDurably(folder);
        Path temporary = ownerOnlyTempFile(folder);
        try {
            String key = random();
            Files.writeString(temporary, key + "\n", StandardCharsets.US_ASCII);
            // on disk before any secret is encrypted with it: a key lost in a power cut loses every credential
            try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                try {
                    Files.createLink(file, temporary);
                } catch (UnsupportedOperationException noHardLinks) {
                    Files.move(temporary, file); // fails too if the name exists, though not atomically
                }
                OwnerOnly.syncDirectory(folder);
                return key;
            } catch (FileAlreadyExistsException raced) {
                return read(file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path ownerOnlyTempFile(Path folder) throws IOException {
        try {
            return Files.createTempFile(folder, FILE_NAME + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile(folder, FILE_NAME + ".", ".tmp");
        }
    }

    /** Reads an existing key, first making the file owner-only if it was readable by others (e.g. after a copy). */
    private static String read(Path file) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null && !posix.readAttributes().permissions().equals(OWNER_ONLY)) {
            LOG.warn("the secret key file {} was readable by others; it is now owner-only (rw-------)", file);
            posix.setPermissions(OWNER_ONLY);
        }
        String key = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (key.isEmpty()) {
            throw new ConfigException("the secret key file " + file + " is empty; restore it or set auth.encrypt.secret_key");
        }
        return key;
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
