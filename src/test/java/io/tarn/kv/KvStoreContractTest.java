package io.tarn.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KvStore} backend must have. A backend's test extends this class and
 * says how to open a fresh, empty store.
 */
public abstract class KvStoreContractTest {

    protected KvStore store;

    /** A new, empty store; the test closes it. */
    protected abstract KvStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    protected static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    protected static String s(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    protected static List<KvEntry> drain(KvIterator it) {
        List<KvEntry> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    protected List<String> keys(byte[] prefix, byte[] from) {
        return drain(store.scan(prefix, from)).stream().map(e -> s(e.key())).toList();
    }

    // ---- get / put / delete ----

    @Test
    void putThenGetReturnsTheValueAndPutOverwrites() {
        store.put(b("k"), b("v1"));
        assertThat(store.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v1")));
        store.put(b("k"), b("v2"));
        assertThat(store.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v2")));
    }

    @Test
    void absentKeyIsEmptyNotNull() {
        assertThat(store.get(b("nothing here"))).isEmpty();
        store.put(b("a"), b("1"));
        assertThat(store.get(b("a\0"))).isEmpty();
        assertThat(store.get(b(""))).isEmpty();
    }

    @Test
    void getAllAnswersInTheOrderAskedWithAbsentKeysEmpty() {
        assertThat(store.getAll(List.of())).isEmpty();
        store.put(b("a"), b("1"));
        store.put(b("c"), new byte[0]);
        store.put(bytes(0xff, 0x00), b("high"));
        List<java.util.Optional<byte[]>> got = store.getAll(List.of(b("c"), b("b"), b("a"), bytes(0xff, 0x00), b("a"),
                b(""), b("a\0")));
        assertThat(got).hasSize(7);
        assertThat(got.get(0)).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(got.get(1)).isEmpty();
        assertThat(got.get(2)).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("1")));
        assertThat(got.get(3)).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("high")));
        assertThat(got.get(4)).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("1")));
        assertThat(got.get(5)).isEmpty();
        assertThat(got.get(6)).isEmpty();
        store.delete(b("a"));
        assertThat(store.getAll(List.of(b("a"), b("c"))).get(0)).isEmpty();
    }

    @Test
    void getAllOfManyKeys() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            if (i % 3 == 0) {
                store.put(b("k" + i), b("v" + i));
            }
            keys.add(b("k" + i));
        }
        List<java.util.Optional<byte[]>> got = store.getAll(keys);
        for (int i = 0; i < 1_000; i++) {
            int n = i;
            if (i % 3 == 0) {
                assertThat(got.get(i)).as("k" + i).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v" + n)));
            } else {
                assertThat(got.get(i)).as("k" + i).isEmpty();
            }
        }
    }

    /** Every list length up to past 64 (a backend may pick its statement by the number of keys). */
    @Test
    void getAllOfEveryLengthMatchesGet() {
        for (int i = 0; i < 70; i += 2) {
            store.put(b("n" + i), b("v" + i));
        }
        for (int len = 1; len <= 70; len++) {
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < len; i++) {
                keys.add(b("n" + (i * 7 % 70)));
            }
            List<java.util.Optional<byte[]>> got = store.getAll(keys);
            assertThat(got).as("length " + len).hasSize(len);
            for (int i = 0; i < len; i++) {
                var expected = store.get(keys.get(i));
                var actual = got.get(i);
                assertThat(actual.map(String::new)).as("length " + len + ", key " + i)
                        .isEqualTo(expected.map(String::new));
            }
        }
    }

    @Test
    void emptyValueIsPresentAndDistinctFromAbsent() {
        store.put(b("k"), new byte[0]);
        assertThat(store.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(store.compareAndSet(b("other"), new byte[0], b("x"))).isFalse();
        assertThat(store.get(b("other"))).isEmpty();
        assertThat(store.compareAndSet(b("k"), null, b("x"))).isFalse();
        assertThat(store.compareAndSet(b("k"), new byte[0], b("x"))).isTrue();
        assertThat(store.get(b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("x")));
    }

    @Test
    void storeKeepsItsOwnCopiesOfKeysAndValues() {
        byte[] key = b("key");
        byte[] value = b("value");
        store.put(key, value);
        key[0] = 'X';
        value[0] = 'X';
        byte[] read = store.get(b("key")).orElseThrow();
        assertThat(read).isEqualTo(b("value"));
        read[0] = 'Y';
        assertThat(store.get(b("key")).orElseThrow()).isEqualTo(b("value"));
        KvEntry scanned = drain(store.scan(b("k"), null)).get(0);
        scanned.key()[0] = 'Z';
        scanned.value()[0] = 'Z';
        assertThat(keys(b(""), null)).containsExactly("key");
        assertThat(store.get(b("key")).orElseThrow()).isEqualTo(b("value"));
    }

    @Test
    void deleteRemovesAndDeletingAnAbsentKeyIsNoError() {
        store.put(b("k"), b("v"));
        store.put(b("k2"), b("v"));
        store.delete(b("k"));
        assertThat(store.get(b("k"))).isEmpty();
        assertThat(store.get(b("k2"))).isPresent();
        store.delete(b("k"));
        store.delete(b("never"));
        assertThat(keys(b(""), null)).containsExactly("k2");
    }

    @Test
    void nullKeysAndValuesAreRejected() {
        assertThatThrownBy(() -> store.put(null, b("v"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.put(b("k"), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.compareAndSet(null, null, b("v"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.scan(null, null)).isInstanceOf(NullPointerException.class);
        assertThat(store.get(b("k"))).isEmpty();
    }

    // ---- compareAndSet ----

    @Test
    void compareAndSetWithNullExpectedCreatesOnlyIfAbsent() {
        assertThat(store.compareAndSet(b("k"), null, b("first"))).isTrue();
        assertThat(store.compareAndSet(b("k"), null, b("second"))).isFalse();
        assertThat(store.get(b("k")).orElseThrow()).isEqualTo(b("first"));
    }

    @Test
    void compareAndSetFailsWhenTheCurrentValueDiffers() {
        assertThat(store.compareAndSet(b("k"), b("v"), b("w"))).isFalse();
        assertThat(store.get(b("k"))).isEmpty();
        store.put(b("k"), b("v1"));
        assertThat(store.compareAndSet(b("k"), b("v2"), b("w"))).isFalse();
        assertThat(store.compareAndSet(b("k"), b("v1\0"), b("w"))).isFalse();
        assertThat(store.compareAndSet(b("k"), b("v"), b("w"))).isFalse();
        assertThat(store.get(b("k")).orElseThrow()).isEqualTo(b("v1"));
        assertThat(store.compareAndSet(b("k"), b("v1"), b("w"))).isTrue();
        assertThat(store.get(b("k")).orElseThrow()).isEqualTo(b("w"));
    }

    @Test
    void compareAndSetToNullDeletes() {
        store.put(b("k"), b("v"));
        assertThat(store.compareAndSet(b("k"), b("other"), null)).isFalse();
        assertThat(store.get(b("k"))).isPresent();
        assertThat(store.compareAndSet(b("k"), b("v"), null)).isTrue();
        assertThat(store.get(b("k"))).isEmpty();
        assertThat(store.compareAndSet(b("k"), null, null)).isTrue();
        assertThat(store.get(b("k"))).isEmpty();
        assertThat(store.compareAndSet(b("k"), null, b("again"))).isTrue();
    }

    @Test
    void concurrentCompareAndSetIncrementsLoseNoUpdate() throws Exception {
        int threads = 8;
        int increments = 2_000;
        byte[] counter = b("counter");
        store.put(counter, longBytes(0));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int conflicts = 0;
                    for (int i = 0; i < increments; i++) {
                        while (true) {
                            byte[] current = store.get(counter).orElseThrow();
                            long next = ByteBuffer.wrap(current).getLong() + 1;
                            if (store.compareAndSet(counter, current, longBytes(next))) {
                                break;
                            }
                            conflicts++;
                        }
                    }
                    return conflicts;
                }));
            }
            start.countDown();
            for (Future<Integer> r : results) {
                r.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = ByteBuffer.wrap(store.get(counter).orElseThrow()).getLong();
        assertThat(total).isEqualTo((long) threads * increments);
    }

    @Test
    void compareAndSetCreateIfAbsentHasExactlyOneWinner() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 200; round++) {
                byte[] key = b("lock/" + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] mine = b("owner-" + t);
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.compareAndSet(key, null, mine);
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

    @Test
    void compareAndSetIsAtomicAgainstPlainPuts() throws Exception {
        // Values are (id, id of the value the writer replaced). One thread CAS-updates the key,
        // another overwrites it with plain puts and reads it back. Whatever it reads back must
        // descend, through successful swaps only, from its own put: if a put slipped between a
        // swap's read and its write, the swap's chain leads to an older value instead.
        byte[] key = b("k");
        store.put(key, pair(0, 0));
        Map<Long, Long> replaced = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch swapping = new CountDownLatch(1);
            Future<?> casser = pool.submit(() -> {
                try {
                    long nextId = 1;
                    while (!stop.get()) {
                        byte[] current = store.get(key).orElseThrow();
                        long id = nextId++;
                        replaced.put(id, ByteBuffer.wrap(current).getLong());
                        if (store.compareAndSet(key, current, pair(id, ByteBuffer.wrap(current).getLong()))) {
                            swapping.countDown();
                        }
                    }
                } finally {
                    swapping.countDown();
                }
                return null;
            });
            Future<Integer> putter = pool.submit(() -> {
                swapping.await();
                int broken = 0;
                for (long n = 1; n <= 3_000; n++) {
                    store.put(key, pair(-n, 0));
                    long id = ByteBuffer.wrap(store.get(key).orElseThrow()).getLong();
                    while (id > 0) {
                        id = replaced.get(id);
                    }
                    if (id != -n) {
                        broken++;
                    }
                }
                return broken;
            });
            int broken = putter.get(120, TimeUnit.SECONDS);
            stop.set(true);
            casser.get(60, TimeUnit.SECONDS);
            assertThat(broken).as("reads that do not descend from the last put").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] pair(long id, long previous) {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(id).putLong(previous).array();
    }

    // ---- deletePrefix ----

    @Test
    void deletePrefixRemovesExactlyThePrefixedKeys() {
        for (String k : List.of("a", "aa", "ab", "ab\0", "abc", "abz", "ab\u007f", "ac", "b", "Ab")) {
            store.put(b(k), b("v"));
        }
        store.put(bytes('a', 'b', 0xFF), b("v"));
        store.put(bytes('a', 'b' + 1), b("v")); // "ac" spelled as bytes, a neighbour
        store.deletePrefix(b("ab"));
        assertThat(keys(b(""), null)).containsExactly("Ab", "a", "aa", "ac", "b");
        store.deletePrefix(b("zzz"));
        assertThat(keys(b(""), null)).hasSize(5);
    }

    @Test
    void deletePrefixOfFfBytesAndOfEverything() {
        store.put(bytes(0xFE), b("v"));
        store.put(bytes(0xFE, 0xFF), b("v"));
        store.put(bytes(0xFF), b("v"));
        store.put(bytes(0xFF, 0x00), b("v"));
        store.put(bytes(0xFF, 0xFF), b("v"));
        store.put(bytes(0xFF, 0xFF, 0xFF, 0x01), b("v"));
        store.deletePrefix(bytes(0xFF, 0xFF));
        assertThat(drain(store.scan(new byte[0], null))).extracting(KvEntry::key)
                .containsExactly(bytes(0xFE), bytes(0xFE, 0xFF), bytes(0xFF), bytes(0xFF, 0x00));
        store.deletePrefix(bytes(0xFF));
        assertThat(drain(store.scan(new byte[0], null))).extracting(KvEntry::key)
                .containsExactly(bytes(0xFE), bytes(0xFE, 0xFF));
        store.put(new byte[0], b("empty key"));
        store.deletePrefix(new byte[0]);
        assertThat(drain(store.scan(new byte[0], null))).isEmpty();
        assertThat(store.get(new byte[0])).isEmpty();
    }

    // ---- scan ----

    @Test
    void scanOrdersKeysAsUnsignedBytes() {
        store.put(bytes(0xFF), b("ff"));
        store.put(bytes(0x01), b("01"));
        store.put(bytes(0x80), b("80"));
        store.put(bytes(0x7F), b("7f"));
        store.put(bytes(0x00), b("00"));
        store.put(bytes(0x01, 0x00), b("0100"));
        store.put(bytes(0xFF, 0x00), b("ff00"));
        assertThat(drain(store.scan(new byte[0], null))).extracting(e -> s(e.value()))
                .containsExactly("00", "01", "0100", "7f", "80", "ff", "ff00");
    }

    @Test
    void scanReturnsOnlyThePrefixInOrder() {
        for (String k : List.of("b/2", "a/1", "b/1", "b", "c", "b/10", "b0", "b/")) {
            store.put(b(k), b("value of " + k));
        }
        List<KvEntry> entries = drain(store.scan(b("b/"), null));
        assertThat(entries).extracting(e -> s(e.key())).containsExactly("b/", "b/1", "b/10", "b/2");
        assertThat(entries).allSatisfy(e -> assertThat(s(e.value())).isEqualTo("value of " + s(e.key())));
    }

    @Test
    void scanStartsFromTheGivenKey() {
        for (int i = 0; i < 6; i++) {
            store.put(b("k/" + i), b("v"));
        }
        store.put(b("j"), b("v"));
        store.put(b("l"), b("v"));
        assertThat(keys(b("k/"), b("k/3"))).containsExactly("k/3", "k/4", "k/5");
        assertThat(keys(b("k/"), b("k/2\0"))).containsExactly("k/3", "k/4", "k/5");
        assertThat(keys(b("k/"), b("k/"))).containsExactly("k/0", "k/1", "k/2", "k/3", "k/4", "k/5");
        assertThat(keys(b("k/"), b("a"))).containsExactly("k/0", "k/1", "k/2", "k/3", "k/4", "k/5");
        assertThat(keys(b("k/"), b("k/9"))).isEmpty();
        assertThat(keys(b("k/"), b("z"))).isEmpty();
        assertThat(keys(b(""), b("k/5"))).containsExactly("k/5", "l");
    }

    @Test
    void scanOfAnAbsentOrEmptyPrefix() {
        assertThat(keys(b(""), null)).isEmpty();
        assertThat(keys(b("p/"), null)).isEmpty();
        store.put(b("a"), b("1"));
        store.put(b("c"), b("2"));
        assertThat(keys(b("b"), null)).isEmpty();
        assertThat(keys(b(""), null)).containsExactly("a", "c");
        try (KvIterator it = store.scan(b("b"), null)) {
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
        }
    }

    @Test
    void scanStreamsManyEntries() {
        int n = 20_000;
        KvBatch batch = new KvBatch();
        for (int i = 0; i < n; i++) {
            batch.put(b(String.format("many/%08d", i)), b("v" + i));
        }
        store.write(batch);
        int seen = 0;
        try (KvIterator it = store.scan(b("many/"), null)) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                assertThat(s(e.key())).isEqualTo(String.format("many/%08d", seen));
                seen++;
            }
        }
        assertThat(seen).isEqualTo(n);
    }

    @Test
    void openScanIsASnapshotThatOutlivesLaterWrites() {
        for (int i = 0; i < 100; i++) {
            store.put(b(String.format("s/%03d", i)), b("old" + i));
        }
        store.put(b("t/0"), b("neighbour"));
        List<String> seen = new ArrayList<>();
        try (KvIterator it = store.scan(b("s/"), null)) {
            for (int i = 0; i < 10; i++) {
                KvEntry e = it.next();
                seen.add(s(e.key()) + "=" + s(e.value()));
            }
            store.put(b("s/050"), b("new50"));
            store.put(b("s/005"), b("new5"));
            store.delete(b("s/060"));
            store.put(b("s/0605"), b("inserted"));
            store.compareAndSet(b("s/070"), b("old70"), null);
            store.write(new KvBatch().put(b("s/080"), b("new80")).delete(b("s/081")).put(b("s/999"), b("x")));
            store.deletePrefix(b("s/09"));
            store.put(b("s/"), b("before everything"));
            while (it.hasNext()) {
                KvEntry e = it.next();
                seen.add(s(e.key()) + "=" + s(e.value()));
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(String.format("s/%03d", i) + "=old" + i);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        // And the writes did happen.
        assertThat(store.get(b("s/050")).orElseThrow()).isEqualTo(b("new50"));
        assertThat(store.get(b("s/060"))).isEmpty();
        assertThat(keys(b("s/09"), null)).isEmpty();
        assertThat(keys(b("s/"), null)).contains("s/", "s/0605", "s/999").doesNotContain("s/070", "s/081");
    }

    @Test
    void manyScansCanBeOpenAtOnce() {
        for (int i = 0; i < 10; i++) {
            store.put(b("k" + i), b("v" + i));
        }
        KvIterator first = store.scan(b("k"), null);
        KvIterator second = store.scan(b("k"), b("k5"));
        assertThat(s(first.next().key())).isEqualTo("k0");
        assertThat(s(second.next().key())).isEqualTo("k5");
        store.delete(b("k6"));
        assertThat(drain(second)).extracting(e -> s(e.key())).containsExactly("k6", "k7", "k8", "k9");
        assertThat(drain(first)).hasSize(9);
        assertThat(keys(b("k"), null)).hasSize(9);
    }

    @Test
    void closedScanReportsNoMoreEntries() {
        store.put(b("a"), b("1"));
        store.put(b("b"), b("2"));
        KvIterator it = store.scan(b(""), null);
        assertThat(it.hasNext()).isTrue();
        it.close();
        it.close();
        assertThat(it.hasNext()).isFalse();
    }

    // ---- batches ----

    @Test
    void batchAppliesPutsAndDeletesInOrder() {
        store.put(b("gone"), b("x"));
        store.put(b("kept"), b("x"));
        store.write(new KvBatch()
                .put(b("a"), b("1"))
                .delete(b("gone"))
                .put(b("b"), b("1"))
                .delete(b("b"))
                .delete(b("c"))
                .put(b("c"), b("3"))
                .put(b("a"), b("2")));
        assertThat(drain(store.scan(b(""), null))).extracting(e -> s(e.key()) + "=" + s(e.value()))
                .containsExactly("a=2", "c=3", "kept=x");
        store.write(new KvBatch());
        assertThat(keys(b(""), null)).hasSize(3);
    }

    @Test
    void batchWithAnInvalidOperationChangesNothing() {
        store.put(b("a"), b("old"));
        KvBatch batch = new KvBatch().put(b("a"), b("new")).put(b("b"), b("new")).put(null, b("bad"));
        assertThatThrownBy(() -> store.write(batch)).isInstanceOf(NullPointerException.class);
        assertThat(store.get(b("a")).orElseThrow()).isEqualTo(b("old"));
        assertThat(store.get(b("b"))).isEmpty();
    }

    @Test
    void readersNeverSeeHalfABatch() throws Exception {
        int width = 20;
        KvBatch initial = new KvBatch();
        for (int i = 0; i < width; i++) {
            initial.put(b(String.format("batch/%02d", i)), longBytes(0));
        }
        store.write(initial);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch reading = new CountDownLatch(1);
            Future<?> reader = pool.submit(() -> {
                try {
                    do {
                        List<KvEntry> entries = drain(store.scan(b("batch/"), null));
                        assertThat(entries).hasSize(width);
                        long first = ByteBuffer.wrap(entries.get(0).value()).getLong();
                        for (KvEntry e : entries) {
                            assertThat(ByteBuffer.wrap(e.value()).getLong()).as("value in one scan").isEqualTo(first);
                        }
                        reading.countDown();
                    } while (!stop.get());
                } finally {
                    reading.countDown();
                }
                return null;
            });
            Future<?> writer = pool.submit(() -> {
                reading.await();
                for (long round = 1; round <= 1_000; round++) {
                    KvBatch batch = new KvBatch();
                    for (int i = width - 1; i >= 0; i--) {
                        batch.put(b(String.format("batch/%02d", i)), longBytes(round));
                    }
                    store.write(batch);
                }
                return null;
            });
            writer.get(120, TimeUnit.SECONDS);
            stop.set(true);
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(drain(store.scan(b("batch/"), null)))
                .allSatisfy(e -> assertThat(ByteBuffer.wrap(e.value()).getLong()).isEqualTo(1_000));
    }

    // ---- binary data ----

    @Test
    void binaryKeysAndValuesWithNulBytes() {
        byte[] k1 = bytes(0);
        byte[] k2 = bytes(0, 0);
        byte[] k3 = bytes(0, 1, 0);
        byte[] k4 = bytes('a', 0, 'b');
        byte[] v = bytes(0, 0, 0, 0xFF, 0, 0x80);
        store.put(k1, bytes(1));
        store.put(k2, bytes(2));
        store.put(k3, v);
        store.put(k4, bytes(0));
        store.put(new byte[0], bytes(0, 0));
        assertThat(store.get(k1).orElseThrow()).isEqualTo(bytes(1));
        assertThat(store.get(k2).orElseThrow()).isEqualTo(bytes(2));
        assertThat(store.get(k3).orElseThrow()).isEqualTo(v);
        assertThat(store.get(k4).orElseThrow()).isEqualTo(bytes(0));
        assertThat(store.get(new byte[0]).orElseThrow()).isEqualTo(bytes(0, 0));
        assertThat(drain(store.scan(bytes(0), null))).extracting(KvEntry::key).containsExactly(k1, k2, k3);
        assertThat(drain(store.scan(new byte[0], null))).extracting(KvEntry::key)
                .containsExactly(new byte[0], k1, k2, k3, k4);
        assertThat(store.compareAndSet(k3, v, bytes(0))).isTrue();
        store.deletePrefix(bytes(0, 0));
        assertThat(drain(store.scan(new byte[0], null))).extracting(KvEntry::key)
                .containsExactly(new byte[0], k1, k3, k4);
    }

    @Test
    void largeValuesRoundTrip() {
        byte[] big = new byte[6 * 1024 * 1024 + 17];
        new Random(42).nextBytes(big);
        store.put(b("big"), big);
        assertThat(store.get(b("big")).orElseThrow()).isEqualTo(big);
        byte[] bigger = new byte[8 * 1024 * 1024];
        new Random(7).nextBytes(bigger);
        assertThat(store.compareAndSet(b("big"), big, bigger)).isTrue();
        List<KvEntry> entries = drain(store.scan(b("b"), null));
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).value()).isEqualTo(bigger);
    }

    // ---- lifecycle ----

    @Test
    void closingTheStoreWithAScanStillOpenIsSafe() {
        store.put(b("a"), b("1"));
        store.put(b("b"), b("2"));
        KvIterator it = store.scan(b(""), null);
        assertThat(it.next().key()).isEqualTo(b("a"));
        store.close();
        assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class);
        it.close();
        store.close();
        assertThatThrownBy(() -> store.get(b("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.put(b("a"), b("1"))).isInstanceOf(IllegalStateException.class);
        store = null;
    }

    protected static byte[] longBytes(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }
}
