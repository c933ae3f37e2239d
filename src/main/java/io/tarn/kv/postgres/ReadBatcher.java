package io.tarn.kv.postgres;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Point reads of concurrent callers sent together: while {@code statements} reads are in flight, a
 * caller's read waits in a queue, and when one of them finishes, everything queued (up to
 * {@value #MAX_KEYS} distinct keys) goes as the next statement, its rows handed to each waiter.
 * Nothing waits for company: a read that finds a free slot is sent at once, alone, so a lone caller
 * pays two uncontended lock operations and nothing else.
 *
 * <p>There is no thread of its own. The caller whose statement finished takes the next batch out of
 * the queue and wakes its first waiter, which sends it on its own (virtual) thread, answers the
 * others and passes the slot on in turn; every other waiter is woken once, with its rows. Waiting is
 * {@link CompletableFuture#join} and a {@link ReentrantLock}: a virtual thread parks and leaves its
 * carrier.
 *
 * <p><b>Linearizable.</b> A waiter is only ever served by a statement that was taken out of the queue,
 * and so sent, after the waiter was put into it: a read that started after a write was acknowledged
 * never gets the rows of a statement (and so a snapshot) from before it. A caller's keys all go in one
 * statement, so a read of several keys still reads one snapshot.
 *
 * <p><b>Failures.</b> When a statement fails, every waiter of its batch gets that same exception (the
 * fetch classifies it, as for a read sent alone); the next batch is sent all the same.
 */
final class ReadBatcher {

    /** The most distinct keys one statement of several callers asks for (the longest {@code key IN} list). */
    static final int MAX_KEYS = 64;

    /** Reads the rows of {@code keys} (distinct) in one statement: absent keys have no entry. */
    @FunctionalInterface
    interface Fetch {
        Map<ByteBuffer, byte[]> rows(List<byte[]> keys);
    }

    /** What a waiter is woken with. */
    private sealed interface Wake permits Lead, Rows, Failed {}

    /** Send this batch (it begins with the woken waiter) and answer its waiters. */
    private record Lead(List<Waiter> batch) implements Wake {}

    /** The waiter's values, one per key, in its order. */
    private record Rows(List<Optional<byte[]>> values) implements Wake {}

    /** The batch's statement failed with this. */
    private record Failed(RuntimeException failure) implements Wake {}

    private static final class Waiter {
        final List<byte[]> keys;
        final CompletableFuture<Wake> wake = new CompletableFuture<>();

        Waiter(List<byte[]> keys) {
            this.keys = keys;
        }
    }

    private final Fetch fetch;
    private final int statements;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** Statements in flight or handed to a waiter to send; guarded by {@link #lock}. */
    private int inFlight;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    /** Reads with {@code fetch}, at most {@code statements} at a time. */
    ReadBatcher(Fetch fetch, int statements) {
        if (statements < 1) {
            throw new IllegalArgumentException("statements must be positive");
        }
        this.fetch = fetch;
        this.statements = statements;
    }

    /**
     * The values of {@code keys} (at least one), read in one statement that was sent after this call
     * began, alone or with other callers' keys.
     */
    List<Optional<byte[]>> read(List<byte[]> keys) {
        Waiter me = new Waiter(keys);
        reads.incrementAndGet();
        boolean alone;
        lock.lock();
        try {
            // The queue is only ever non-empty while every slot is taken.
            alone = inFlight < statements;
            if (alone) {
                inFlight++;
            } else {
                queue.add(me);
            }
        } finally {
            lock.unlock();
        }
        if (alone) {
            return lead(List.of(me));
        }
        Wake wake = join(me.wake);
        return switch (wake) {
            case Lead lead -> lead(lead.batch());
            case Rows rows -> rows.values();
            case Failed failed -> throw failed.failure();
        };
    }

    /**
     * Sends {@code batch} (whose first waiter is the calling thread's), answers the others, passes the
     * slot on, and returns the first waiter's values.
     */
    private List<Optional<byte[]>> lead(List<Waiter> batch) {
        Map<ByteBuffer, Row> rows;
        try {
            rows = send(batch);
        } catch (RuntimeException | Error e) {
            handOn();
            RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            for (int i = 1; i < batch.size(); i++) {
                batch.get(i).wake.complete(new Failed(failure));
            }
            throw e;
        }
        handOn();
        for (int i = 1; i < batch.size(); i++) {
            Waiter w = batch.get(i);
            w.wake.complete(new Rows(values(w.keys, rows)));
        }
        return values(batch.get(0).keys, rows);
    }

    private Map<ByteBuffer, Row> send(List<Waiter> batch) {
        Map<ByteBuffer, byte[]> distinct = new LinkedHashMap<>();
        for (Waiter w : batch) {
            for (byte[] key : w.keys) {
                distinct.putIfAbsent(ByteBuffer.wrap(key), key);
            }
        }
        sent.incrementAndGet();
        Map<ByteBuffer, byte[]> found = fetch.rows(new ArrayList<>(distinct.values()));
        Map<ByteBuffer, Row> rows = HashMap.newHashMap(found.size());
        found.forEach((k, v) -> rows.put(k, new Row(v)));
        return rows;
    }

    /** A value found, handed to its first reader as is and to any other as a copy. */
    private static final class Row {
        private final byte[] value;
        private boolean given;

        Row(byte[] value) {
            this.value = value;
        }

        byte[] take() {
            if (given) {
                return value.clone();
            }
            given = true;
            return value;
        }
    }

    private static List<Optional<byte[]>> values(List<byte[]> keys, Map<ByteBuffer, Row> rows) {
        List<Optional<byte[]>> out = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            Row row = rows.get(ByteBuffer.wrap(key));
            out.add(row == null ? Optional.empty() : Optional.of(row.take()));
        }
        return out;
    }

    /**
     * A statement finished: its slot goes to the queue's next batch (the waiters queued so far, in
     * order, up to {@value #MAX_KEYS} distinct keys; a first waiter with more goes alone), whose first
     * waiter is woken to send it; with nobody queued the slot is freed.
     */
    private void handOn() {
        List<Waiter> next;
        lock.lock();
        try {
            if (queue.isEmpty()) {
                inFlight--;
                return;
            }
            next = new ArrayList<>();
            Set<ByteBuffer> keys = new HashSet<>();
            while (!queue.isEmpty()) {
                Waiter w = queue.peek();
                int more = 0;
                for (byte[] key : w.keys) {
                    if (!keys.contains(ByteBuffer.wrap(key))) {
                        more++;
                    }
                }
                if (!next.isEmpty() && keys.size() + more > MAX_KEYS) {
                    break;
                }
                queue.poll();
                next.add(w);
                for (byte[] key : w.keys) {
                    keys.add(ByteBuffer.wrap(key));
                }
            }
        } finally {
            lock.unlock();
        }
        next.get(0).wake.complete(new Lead(next));
    }

    /** Waits without giving up on an interrupt (the read may be under way; the interrupt is kept). */
    private static Wake join(CompletableFuture<Wake> wake) {
        try {
            return wake.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("a batched read failed", e.getCause());
        }
    }

    /** Reads asked for so far (the class comment's claim that concurrent reads share statements). */
    long reads() {
        return reads.get();
    }

    /** Statements sent for them so far. */
    long statements() {
        return sent.get();
    }

    /** Reads waiting in the queue now (tests). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
