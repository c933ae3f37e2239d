package io.tarn.server;

import io.tarn.config.ConfigException;
import io.tarn.config.TarnConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where {@code auth.encrypt.secret_key} comes from when it is not configured. With the in-memory
 * metadata store, a random key for this process (the secrets vanish with the store). With the
 * embedded defaults (RocksDB metadata and local or in-memory data), a key generated on first run and
 * kept next to the metadata in a file readable only by its owner. Anything else must configure it.
 */
final class SecretKeys {
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

    private static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        Files.createDirectories(file.getParent());
        String key = random();
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            return read(file);
        }
        Files.writeString(file, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        return key;
    }

    private static String read(Path file) throws IOException {
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
