package io.tarn.kv.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStoreContractTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole KV contract with every write made on a virtual thread, as the server's requests make them:
 * with sync on, those writes go through the store's group committer ({@link GroupCommit}) instead of
 * RocksDB directly, and must mean exactly the same.
 */
class RocksDbKvStoreOnVirtualThreadsTest extends KvStoreContractTest {

    @TempDir
    Path dir;

    private RocksDbKvStore rocks;

    @Override
    protected KvStore newStore() {
        rocks = RocksDbKvStore.open(dir.resolve("kv"));
        return new OnVirtualThreads(rocks);
    }

    /** Runs every write of the store it wraps on a fresh virtual thread and waits for it. */
    private static final class OnVirtualThreads extends ForwardingKvStore {
        OnVirtualThreads(KvStore in) {
            super(in);
        }

        @Override
        public void put(byte[] key, byte[] value) {
            onVirtualThread(() -> {
                in.put(key, value);
                return null;
            });
        }

        @Override
        public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
            return onVirtualThread(() -> in.compareAndSet(key, expected, update));
        }

        @Override
        public void delete(byte[] key) {
            onVirtualThread(() -> {
                in.delete(key);
                return null;
            });
        }

        @Override
        public void deletePrefix(byte[] prefix) {
            onVirtualThread(() -> {
                in.deletePrefix(prefix);
                return null;
            });
        }

        @Override
        public void write(KvBatch batch) {
            onVirtualThread(() -> {
                in.write(batch);
                return null;
            });
        }
    }

    private static <T> T onVirtualThread(Callable<T> call) {
        try (ExecutorService one = Executors.newVirtualThreadPerTaskExecutor()) {
            return one.submit(call).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writesOfVirtualThreadsGoThroughTheCommitterAndThoseOfPlatformThreadsDoNot() {
        long before = rocks.groupCommitWrites();
        store.put(b("a"), b("1"));
        store.write(new KvBatch().put(b("b"), b("2")).delete(b("a")));
        assertThat(store.compareAndSet(b("b"), b("2"), b("3"))).isTrue();
        assertThat(store.compareAndSet(b("b"), b("2"), b("4"))).as("a failed compare-and-set writes nothing").isFalse();
        store.delete(b("b"));
        store.deletePrefix(b("p/"));
        store.put(b("z"), b("1"));
        store.deletePrefix(new byte[0]); // no upper bound: a batch of a range delete and a delete
        assertThat(keys(b(""), null)).isEmpty();
        assertThat(rocks.groupCommitWrites() - before).as("every write of a virtual thread").isEqualTo(7);

        rocks.put(b("c"), b("platform"));
        rocks.write(new KvBatch().put(b("d"), b("platform")));
        assertThat(rocks.groupCommitWrites() - before).as("platform threads write themselves").isEqualTo(7);
        assertThat(store.get(b("c"))).isPresent();
    }

    @Test
    void concurrentWritersShareGroupsAndEveryAcknowledgedWriteSurvivesReopening() throws Exception {
        int writers = 64;
        int each = 20;
        AtomicInteger wonCas = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int n = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        rocks.put(b("v/" + n + "/" + i), b("x"));
                        rocks.write(new KvBatch().put(b("w/" + n + "/" + i), b("y")).delete(b("v/" + n + "/none")));
                    }
                    if (rocks.compareAndSet(b("cas"), null, b("winner " + n))) {
                        wonCas.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(wonCas).as("one compare-and-set of an absent key wins").hasValue(1);
        long writes = rocks.groupCommitWrites();
        long groups = rocks.groupCommitGroups();
        assertThat(writes).as("every put and batch, and the one compare-and-set that wrote").isEqualTo(writers * 2L * each + 1);
        assertThat(groups).as("synced batches written").isBetween(1L, writes);

        store.close();
        store = RocksDbKvStore.open(dir.resolve("kv"));
        assertThat(keys(b("v/"), null)).hasSize(writers * each);
        assertThat(keys(b("w/"), null)).hasSize(writers * each);
        assertThat(store.get(b("cas"))).isPresent();
    }

    @Test
    void aWriteAfterCloseFailsClearlyOnAVirtualThreadToo() {
        store.put(b("a"), b("1"));
        KvStore wrapped = store;
        store.close();
        assertThatThrownBy(() -> wrapped.put(b("b"), b("2"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        store = RocksDbKvStore.open(dir.resolve("kv"));
        assertThat(store.get(b("a"))).isPresent();
        assertThat(store.get(b("b"))).isEmpty();
    }

    @Test
    void theDeferringViewWritesToTheLogWithoutWaitingForASyncAndAReadSeesItAtOnce() {
        long before = rocks.groupCommitWrites();
        KvStore deferring = new OnVirtualThreads(rocks.deferringSync());
        deferring.put(b("a"), b("1"));
        assertThat(deferring.compareAndSet(b("a"), b("1"), b("2"))).isTrue();
        assertThat(deferring.compareAndSet(b("a"), b("1"), b("3"))).isFalse();
        assertThat(rocks.groupCommitWrites() - before).as("not handed to the committer, which syncs").isZero();
        assertThat(store.get(b("a"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("2")));

        store.put(b("b"), b("1")); // a synced write after it
        assertThat(rocks.groupCommitWrites() - before).isEqualTo(1);
        store.close();
        store = RocksDbKvStore.open(dir.resolve("kv"));
        assertThat(store.get(b("a"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("2")));
        assertThat(store.get(b("b"))).isPresent();
    }

    @Test
    void aStoreThatDoesNotSyncIsItsOwnDeferringView() {
        store.close();
        RocksDbKvStore unsynced = RocksDbKvStore.open(dir.resolve("kv"), false);
        store = unsynced;
        assertThat(unsynced.deferringSync()).isSameAs(unsynced);
    }

    @Test
    void withoutSyncVirtualThreadsWriteThemselves() {
        store.close();
        RocksDbKvStore unsynced = RocksDbKvStore.open(dir.resolve("kv"), false);
        store = new OnVirtualThreads(unsynced);
        store.put(b("a"), b("1"));
        assertThat(unsynced.groupCommitWrites()).isZero();
        assertThat(store.get(b("a"))).isPresent();
    }
}
