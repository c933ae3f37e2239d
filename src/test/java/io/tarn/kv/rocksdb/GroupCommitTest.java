package io.tarn.kv.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

class GroupCommitTest {

    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void aCallerWhoseWritesFailAloneFailsAndNoneOfItsWritesLand() throws Exception {
        try (Options options = new Options().setCreateIfMissing(true);
             WriteOptions sync = new WriteOptions().setSync(true);
             RocksDB db = RocksDB.open(options, dir.toString())) {
            GroupCommit commit = new GroupCommit(db, sync, "test-commit");
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> good = new ArrayList<>();
                List<Future<?>> bad = new ArrayList<>();
                CountDownLatch start = new CountDownLatch(1);
                for (int i = 0; i < 32; i++) {
                    int n = i;
                    good.add(pool.submit(() -> {
                        start.await();
                        commit.write(batch -> batch.put(b("good/" + n), b("x")));
                        return null;
                    }));
                    bad.add(pool.submit(() -> {
                        start.await();
                        commit.write(batch -> {
                            batch.put(b("bad/" + n), b("partial"));
                            if (n % 2 == 0) {
                                throw new IllegalArgumentException("refused " + n);
                            }
                            throw new RocksDBException("failed " + n);
                        });
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : good) {
                    f.get();
                }
                for (int i = 0; i < bad.size(); i++) {
                    Future<?> f = bad.get(i);
                    Class<? extends Exception> expected = i % 2 == 0 ? IllegalArgumentException.class : RocksDBException.class;
                    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(expected);
                }
            }
            assertThat(commit.writes()).as("the callers that succeeded").isEqualTo(32);
            assertThat(commit.groups()).isBetween(1L, 32L);
            commit.close();
            for (int i = 0; i < 32; i++) {
                assertThat(db.get(b("good/" + i))).isEqualTo(b("x"));
                assertThat(db.get(b("bad/" + i))).as("the failed caller's partial write was rolled back").isNull();
            }
        }
    }

    @Test
    void closeStopsTheCommitterThread() throws Exception {
        try (Options options = new Options().setCreateIfMissing(true);
             WriteOptions sync = new WriteOptions().setSync(true);
             RocksDB db = RocksDB.open(options, dir.toString())) {
            GroupCommit commit = new GroupCommit(db, sync, "test-commit-close");
            Thread.ofVirtual().start(() -> {
                try {
                    commit.write(batch -> batch.put(b("k"), b("v")));
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }).join();
            commit.close();
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("test-commit-close");
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
    }
}
