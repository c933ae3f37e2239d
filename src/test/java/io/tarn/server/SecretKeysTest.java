package io.tarn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.config.TarnConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated {@code auth.encrypt.secret_key} file of the embedded defaults. */
class SecretKeysTest {
    @TempDir
    Path dir;

    private TarnConfig config(Path metadata) {
        return TarnConfig.load(null, Map.of(), Map.of("database.local.path", metadata.toString(),
                "blockstore.local.path", dir.resolve("data").toString())).config();
    }

    @Test
    void startsRacingOnAFreshFolderAllGetTheOneKeyAndNeverSeeAHalfWrittenFile() throws Exception {
        // Two processes (say `tarn setup` and `tarn run`) may resolve the key at once, before either opens the
        // metadata store. None may see the file before its key is in it, and all must end with the same key.
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int trial = 0; trial < 200; trial++) {
                TarnConfig config = config(dir.resolve("m" + trial));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> keys = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Callable<String> resolve = () -> {
                        go.await();
                        return SecretKeys.resolve(config).key();
                    };
                    keys.add(threads.submit(resolve));
                }
                go.countDown();
                Set<String> distinct = new HashSet<>();
                for (Future<String> key : keys) {
                    distinct.add(key.get());
                }
                assertThat(distinct).as("trial %d", trial).hasSize(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aKeyFileReadableByOthersIsMadeOwnerOnly() throws Exception {
        Path metadata = dir.resolve("metadata");
        Files.createDirectories(metadata);
        Path file = metadata.resolve(SecretKeys.FILE_NAME);
        Files.writeString(file, "restored-key\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(SecretKeys.resolve(config(metadata)).key()).isEqualTo("restored-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
