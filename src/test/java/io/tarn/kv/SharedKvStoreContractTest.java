package io.tarn.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a store shared by several servers must do beyond {@link KvStoreContractTest}: two store
 * instances on one database (two connection pools, as two servers have) never lose an update, and a
 * write whose connection dies while it runs is reported as {@link KvOutcomeUnknownException}, never as
 * a success or a failure. A backend's test extends this class and also says how to open a second
 * store on the same data and how to cut a session off in the middle of a write.
 */
public abstract class SharedKvStoreContractTest extends KvStoreContractTest {

    private final List<KvStore> others = new ArrayList<>();

    /** Another store on the data of the last {@link #newStore()} (its own pool); the test closes it. */
    protected abstract KvStore newStoreOnSameData() throws Exception;

    /** Makes writes of a key wait, and kills the sessions that wait. */
    protected interface Blocker extends AutoCloseable {
        /** Holds a lock on {@code key} (present or not), so that writes of it wait. */
        void hold(byte[] key) throws Exception;

        /** Waits until some session is waiting for that lock, then terminates it; returns how many. */
        int killWaiters() throws Exception;

        /** Terminates every other session of the database (idle pooled connections included). */
        void killOthers() throws Exception;

        /** Releases the lock (changing nothing). */
        @Override
        void close() throws Exception;
    }

    protected abstract Blocker blocker() throws Exception;

    private KvStore other() throws Exception {
        KvStore s = newStoreOnSameData();
        others.add(s);
        return s;
    }

    @AfterEach
    void closeOthers() {
        others.forEach(KvStore::close);
        others.clear();
    }

    @Test
    void twoStoresOnOneDatabaseSeeEachOthersWrites() throws Exception {
        KvStore second = other();
        store.put(b("a"), b("1"));
        assertThat(second.get(b("a")).orElseThrow()).isEqualTo(b("1"));
        assertThat(second.compareAndSet(b("a"), b("1"), b("2"))).isTrue();
        assertThat(store.compareAndSet(b("a"), b("1"), b("3"))).isFalse();
        second.write(new KvBatch().put(b("p/1"), b("x")).put(b("p/2"), b("y")));
        assertThat(keys(b("p/"), null)).containsExactly("p/1", "p/2");
        store.deletePrefix(b("p/"));
        assertThat(drain(second.scan(b("p/"), null))).isEmpty();
    }

    @Test
    void twoStoresRacingCompareAndSetsOnOneKeyLoseNoUpdate() throws Exception {
        KvStore second = other();
        byte[] counter = b("counter");
        store.put(counter, longBytes(0));
        int perStore = 3;
        int increments = 300;
        ExecutorService pool = Executors.newFixedThreadPool(2 * perStore);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (KvStore s : List.of(store, second)) {
                for (int t = 0; t < perStore; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < increments; i++) {
                            while (true) {
                                byte[] current = s.get(counter).orElseThrow();
                                long next = ByteBuffer.wrap(current).getLong() + 1;
                                if (s.compareAndSet(counter, current, longBytes(next))) {
                                    break;
                                }
                            }
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> r : results) {
                r.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = ByteBuffer.wrap(second.get(counter).orElseThrow()).getLong();
        assertThat(total).isEqualTo(2L * perStore * increments);
    }

    @Test
    void twoStoresCreatingOneKeyHaveExactlyOneWinner() throws Exception {
        KvStore second = other();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                byte[] key = b("lock/" + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    KvStore s = t % 2 == 0 ? store : second;
                    byte[] mine = b("owner-" + t);
                    results.add(pool.submit(() -> {
                        start.await();
                        return s.compareAndSet(key, null, mine);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> r : results) {
                    winners += r.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("winners of round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- a connection that dies in the middle of a write ----

    @Test
    void aCompareAndSetCutOffMidwayIsReportedAsUnknown() throws Exception {
        store.put(b("k"), b("v1"));
        Throwable t = cutOff(b("k"), () -> store.compareAndSet(b("k"), b("v1"), b("v2")));
        assertThat(t).isInstanceOf(KvOutcomeUnknownException.class);
        // the store serves on (a new connection), and the value tells what happened
        assertThat(store.get(b("k")).orElseThrow()).isEqualTo(b("v1"));
        assertThat(store.compareAndSet(b("k"), b("v1"), b("v3"))).isTrue();
    }

    @Test
    void aCreateIfAbsentCutOffMidwayIsReportedAsUnknown() throws Exception {
        Throwable t = cutOff(b("new"), () -> store.compareAndSet(b("new"), null, b("mine")));
        assertThat(t).isInstanceOf(KvOutcomeUnknownException.class);
        assertThat(store.get(b("new"))).isEmpty();
        assertThat(store.compareAndSet(b("new"), null, b("mine"))).isTrue();
    }

    @Test
    void putsAndDeletesCutOffMidwayAreReportedAsUnknown() throws Exception {
        store.put(b("k"), b("v1"));
        assertThat(cutOff(b("k"), () -> {
            store.put(b("k"), b("v2"));
            return null;
        })).isInstanceOf(KvOutcomeUnknownException.class);
        assertThat(cutOff(b("k"), () -> {
            store.delete(b("k"));
            return null;
        })).isInstanceOf(KvOutcomeUnknownException.class);
        assertThat(store.get(b("k")).orElseThrow()).isEqualTo(b("v1"));
    }

    @Test
    void aBatchCutOffMidwayIsAFailureOrUnknownAndLeavesNothingBehind() throws Exception {
        store.put(b("b/2"), b("old"));
        Throwable t = cutOff(b("b/2"), () -> {
            store.write(new KvBatch().put(b("b/1"), b("new")).put(b("b/2"), b("new")).put(b("b/3"), b("new")));
            return null;
        });
        assertThat(t).isInstanceOf(KvException.class);
        assertThat(drain(store.scan(b("b/"), null))).extracting(e -> s(e.key()) + "=" + s(e.value()))
                .containsExactly("b/2=old");
        store.write(new KvBatch().put(b("b/1"), b("new")));
        assertThat(keys(b("b/"), null)).containsExactly("b/1", "b/2");
    }

    /**
     * Runs {@code write} while a lock on {@code key} makes it wait, kills its session, and returns
     * what the write threw (failing if it returned instead).
     */
    private Throwable cutOff(byte[] key, Supplier<Object> write) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Blocker blocker = blocker()) {
            blocker.hold(key);
            Future<Object> running = pool.submit(write::get);
            assertThat(blocker.killWaiters()).as("sessions killed").isEqualTo(1);
            try {
                Object result = running.get(60, TimeUnit.SECONDS);
                throw new AssertionError("the write whose session was killed returned " + result);
            } catch (ExecutionException e) {
                return e.getCause();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readsOnConnectionsKilledWhileIdleAreTriedAgain() throws Exception {
        store.put(b("k"), b("v"));
        for (int i = 0; i < 5; i++) {
            try (Blocker blocker = blocker()) {
                blocker.killOthers();
            }
            assertThat(store.get(b("k")).orElseThrow()).isEqualTo(b("v"));
            assertThat(keys(b(""), null)).containsExactly("k");
        }
    }
}
