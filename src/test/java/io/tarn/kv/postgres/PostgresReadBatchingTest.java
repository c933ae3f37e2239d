package io.tarn.kv.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.kv.KvException;
import io.tarn.kv.KvOutcomeUnknownException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Point reads of concurrent callers on virtual threads, batched by {@link ReadBatcher} on a real
 * PostgreSQL: each caller gets exactly its own rows, a read that begins after a write was
 * acknowledged sees it, a statement that fails fails the reads of its batch and no others, and
 * concurrent reads cost fewer statements than reads.
 */
class PostgresReadBatchingTest {

    private String schema;
    private PostgresKvStore store;

    @BeforeEach
    void open() {
        PostgresFixture pg = PostgresFixture.shared();
        schema = pg.newSchema();
        store = PostgresKvStore.open(pg.config(schema));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static <T> Future<T> onVirtualThread(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofVirtual().start(task);
        return task;
    }

    @Test
    void concurrentReadersGetExactlyTheirOwnValuesInFewerStatements() throws Exception {
        int readers = 64;
        int rounds = 100;
        var batch = new io.tarn.kv.KvBatch();
        for (int i = 0; i < readers; i++) {
            batch.put(b("own/" + i), b("value of " + i));
        }
        batch.put(b("shared"), b("everyone's"));
        store.write(batch);
        long readsBefore = store.readBatcher().reads();
        long statementsBefore = store.readBatcher().statements();
        List<Future<Integer>> all = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            int me = i;
            all.add(onVirtualThread(() -> {
                int checked = 0;
                for (int r = 0; r < rounds; r++) {
                    if (r % 2 == 0) {
                        assertThat(s(store.get(b("own/" + me)).orElseThrow())).isEqualTo("value of " + me);
                    } else {
                        List<Optional<byte[]>> got = store.getAll(List.of(b("own/" + me), b("shared"),
                                b("absent/" + me), b("own/" + ((me + 1) % readers))));
                        assertThat(got.get(0).map(PostgresReadBatchingTest::s)).hasValue("value of " + me);
                        assertThat(got.get(1).map(PostgresReadBatchingTest::s)).hasValue("everyone's");
                        assertThat(got.get(2)).isEmpty();
                        assertThat(got.get(3).map(PostgresReadBatchingTest::s)).hasValue("value of " + ((me + 1) % readers));
                    }
                    checked++;
                }
                return checked;
            }));
        }
        for (var f : all) {
            assertThat(f.get()).isEqualTo(rounds);
        }
        long reads = store.readBatcher().reads() - readsBefore;
        long statements = store.readBatcher().statements() - statementsBefore;
        assertThat(reads).isEqualTo((long) readers * rounds);
        assertThat(statements).as("statements for %d concurrent reads", reads).isLessThan(reads);
        assertThat(statements).isPositive();
    }

    @Test
    void aReadThatBeginsAfterAWriteWasAcknowledgedSeesIt() throws Exception {
        // One writer moves a counter; readers note what was acknowledged before each read begins and
        // must never read less, however their reads are batched with the others in flight.
        byte[] counter = b("counter");
        store.put(counter, b("0"));
        AtomicLong acknowledged = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean readersDone = new java.util.concurrent.atomic.AtomicBoolean();
        Future<Long> writer = onVirtualThread(() -> {
            long n = 0;
            while (!readersDone.get()) {
                n++;
                store.put(counter, b(Long.toString(n)));
                acknowledged.set(n);
            }
            return n;
        });
        long statementsBefore = store.readBatcher().statements();
        long readsBefore = store.readBatcher().reads();
        int readers = 32;
        int rounds = 150;
        List<Future<Long>> all = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            all.add(onVirtualThread(() -> {
                long newer = 0;
                for (int r = 0; r < rounds; r++) {
                    long before = acknowledged.get();
                    long read = Long.parseLong(s(store.get(counter).orElseThrow()));
                    assertThat(read).as("read after %d was acknowledged", before).isGreaterThanOrEqualTo(before);
                    if (read > before) {
                        newer++;
                    }
                }
                return newer;
            }));
        }
        try {
            for (var r : all) {
                r.get();
            }
        } finally {
            readersDone.set(true);
        }
        long written = writer.get();
        assertThat(written).as("writes while the readers read").isGreaterThan(1);
        assertThat(s(store.get(counter).orElseThrow())).isEqualTo(Long.toString(written));
        assertThat(store.readBatcher().statements() - statementsBefore)
                .isLessThan(store.readBatcher().reads() - readsBefore);
    }

    @Test
    void aFailedStatementFailsTheReadsOfItsBatchOnly() throws Exception {
        store.put(b("a"), b("1"));
        store.put(b("e"), b("5"));
        // the lock is held in one transaction, and the reads are watched from another connection
        // (pg_stat_activity keeps the snapshot it gave a transaction until the transaction ends)
        try (Connection locker = PostgresFixture.shared().admin(); Connection admin = PostgresFixture.shared().admin()) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                // every read waits for this lock, on the database, until it is cancelled or released
                s.execute("LOCK TABLE " + schema + ".tarn_kv IN ACCESS EXCLUSIVE MODE");
            }
            // the first reads take every slot and wait for the lock; the next ones queue behind them
            int slots = PostgresKvStore.READ_STATEMENTS;
            List<Future<Optional<byte[]>>> first = new ArrayList<>();
            for (int i = 0; i < slots; i++) {
                first.add(onVirtualThread(() -> store.get(b("a"))));
            }
            awaitWaitingReads(admin, slots);
            var b = onVirtualThread(() -> store.get(b("b")));
            var c = onVirtualThread(() -> store.getAll(List.of(b("c"), b("a"))));
            var d = onVirtualThread(() -> store.get(b("d")));
            await(() -> store.readBatcher().queued() == 3);
            cancelWaitingReads(admin);
            for (var cancelled : first) {
                assertThat(catchCause(cancelled)).isInstanceOf(KvException.class)
                        .isNotInstanceOf(KvOutcomeUnknownException.class).hasMessageContaining("cancel");
            }
            // b, c and d went as the next statement, which now waits for the lock in turn; reads of
            // "x" take the other slots, so that e and f queue
            awaitWaitingReads(admin, 1);
            List<Future<Optional<byte[]>>> others = new ArrayList<>();
            for (int i = 1; i < slots; i++) {
                others.add(onVirtualThread(() -> store.get(b("x"))));
            }
            awaitWaitingReads(admin, slots);
            var e = onVirtualThread(() -> store.get(b("e")));
            var f = onVirtualThread(() -> store.getAll(List.of(b("a"), b("f"))));
            await(() -> store.readBatcher().queued() == 2);
            cancelWaitingReads(admin);
            Throwable failure = null;
            for (var failed : List.of(b, c, d)) {
                Throwable t = catchCause(failed);
                assertThat(t).isInstanceOf(KvException.class).isNotInstanceOf(KvOutcomeUnknownException.class)
                        .hasMessageContaining("cancel");
                if (failure != null) {
                    assertThat(t).as("one statement, one failure").isSameAs(failure);
                }
                failure = t;
            }
            for (var cancelled : others) {
                assertThat(catchCause(cancelled)).isInstanceOf(KvException.class).isNotSameAs(failure);
            }
            awaitWaitingReads(admin, 1); // e and f, queued while the failed statement was in flight
            locker.commit(); // the lock goes: e and f are read
            assertThat(e.get().map(PostgresReadBatchingTest::s)).hasValue("5");
            assertThat(f.get()).extracting(v -> v.map(PostgresReadBatchingTest::s).orElse(null))
                    .containsExactly("1", null);
        }
        assertThat(store.get(b("a")).map(PostgresReadBatchingTest::s)).hasValue("1");
    }

    /** Waits until {@code n} reads wait for the table lock. */
    private void awaitWaitingReads(Connection admin, int n) throws Exception {
        await(() -> waitingReads(admin) == n);
    }

    private int waitingReads(Connection admin) {
        try (PreparedStatement s = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE '%tarn_kv%'"
                + " AND pid <> pg_backend_pid()");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void cancelWaitingReads(Connection admin) throws Exception {
        try (Statement s = admin.createStatement()) {
            s.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database() AND pid <> pg_backend_pid()");
        }
    }

    private static Throwable catchCause(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the read succeeded");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting");
            }
            Thread.sleep(2);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
