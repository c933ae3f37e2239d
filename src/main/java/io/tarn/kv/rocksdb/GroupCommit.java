package io.tarn.kv.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Synced RocksDB writes of virtual threads, applied by one platform thread in groups.
 *
 * <p>A synced write waits for the disk inside RocksDB's native code, and a virtual thread in native
 * code holds its carrier the whole time: the scheduler does not make up for it. A server pinned to one
 * core has one carrier, so a single write waiting for its sync would stall every other request. Here
 * the virtual thread queues its writes and parks (it leaves its carrier); the committer thread takes
 * everything queued, puts it into one {@link WriteBatch} and writes that with sync, then lets each
 * waiter go. While the disk syncs one group, the next gathers in the queue: concurrent writers share
 * one write and one sync, and no request waits for a carrier held by a sync.
 *
 * <p>A group's writes become visible together, after their sync (as a synced RocksDB write does), and
 * atomically: a caller's writes are all in one group. Callers that must not interleave (the store's
 * key stripes, its gate) hold their locks until their write returns, so the writes of one group never
 * depend on each other's order; they are applied in the order they were queued.
 */
final class GroupCommit implements AutoCloseable {

    /** Adds one caller's writes to the batch of its group. */
    @FunctionalInterface
    interface Writes {
        void addTo(WriteBatch batch) throws RocksDBException;
    }

    private record Pending(Writes writes, CompletableFuture<Void> done) {}

    /** A group stops taking more callers once its batch holds this many bytes (a large batch goes alone). */
    private static final long GROUP_BYTES = 4L << 20;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupCommit.class);

    private final RocksDB db;
    private final WriteOptions synced;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong groups = new AtomicLong();
    private volatile boolean stopping;

    /** Starts the committer thread; {@code synced} (owned by the caller, open until {@link #close}) syncs. */
    GroupCommit(RocksDB db, WriteOptions synced, String name) {
        this.db = db;
        this.synced = synced;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        thread.start();
    }

    /**
     * Queues {@code writes} and waits until they are written and synced, or failed. The wait cannot be
     * interrupted: the write may already be under way and its outcome must be known before returning
     * (an interrupt is kept for the caller).
     */
    void write(Writes writes) throws RocksDBException {
        Pending pending = new Pending(writes, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RocksDBException r) {
                throw r;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Writes handed over so far (tests, and the class comment's claim that writers share syncs). */
    long writes() {
        return writes.get();
    }

    /** Synced RocksDB writes made for them so far. */
    long groups() {
        return groups.get();
    }

    private void run() {
        List<Pending> taken = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                if (stopping && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            taken.add(first);
            queue.drainTo(taken);
            int next = 0;
            while (next < taken.size()) {
                next = commitGroup(taken, next);
            }
            taken.clear();
        }
    }

    /** Writes, as one synced batch, the callers of {@code taken} from {@code from} on that fit; returns where it stopped. */
    private int commitGroup(List<Pending> taken, int from) {
        List<Pending> group = new ArrayList<>();
        int next = from;
        try (WriteBatch batch = new WriteBatch()) {
            while (next < taken.size() && (group.isEmpty() || batch.getDataSize() < GROUP_BYTES)) {
                Pending pending = taken.get(next++);
                batch.setSavePoint();
                try {
                    pending.writes.addTo(batch);
                    batch.popSavePoint();
                    group.add(pending);
                } catch (RocksDBException | RuntimeException e) {
                    pending.done.completeExceptionally(e); // this caller alone fails; the others' writes stay
                    batch.rollbackToSavePoint();
                }
            }
            if (!group.isEmpty()) {
                db.write(synced, batch);
                writes.addAndGet(group.size());
                groups.incrementAndGet();
            }
            for (Pending pending : group) {
                pending.done.complete(null);
            }
        } catch (Throwable e) {
            // the batch failed (the disk, RocksDB's state): every caller of the group gets the failure,
            // and the committer stays up for the next group
            for (Pending pending : group) {
                pending.done.completeExceptionally(e);
            }
            for (int i = next; i < taken.size() && e instanceof Error; i++) {
                taken.get(i).done.completeExceptionally(e); // a group that could not even be built
            }
            if (e instanceof Error) {
                LOG.error("the metadata store's committer failed", e);
                return taken.size();
            }
        }
        return next;
    }

    /** Stops the committer thread once the queue is empty; the caller makes sure nobody writes any more. */
    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
