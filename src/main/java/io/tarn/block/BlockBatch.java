package io.tarn.block;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes of one operation whose durability is completed together, by {@link #sync()}: a commit's
 * range and tree files, for example, must all survive a power cut before the ref that names them
 * moves, but need not each be made durable on their own.
 *
 * <p>A {@link #put} returns once the object is visible and its bytes are durable; what it may leave
 * to {@link #sync()} is the durability of the name (on the local store: the folder entry, which costs
 * one folder sync per folder instead of one per file). Objects the operation uses without writing them
 * (found already stored, possibly written a moment ago by a batch not yet synced) are named to
 * {@link #rely}, so that {@link #sync()} covers them too. Puts and {@link #rely} may be called from
 * several threads at once; {@link #sync()} after all of them have returned.
 */
public interface BlockBatch {

    /** As {@link BlockStore#put}; the new name is durable once {@link #sync()} returns. */
    PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength);

    /**
     * As {@link #put} with the content of a local file, which must not change afterwards: a store may
     * keep that very file as the object (the local store links it into place when it can, instead of
     * copying and syncing the bytes a second time). The default streams it through {@link #put}.
     */
    default PutResult putFile(StorageNamespace ns, String key, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return put(ns, key, in, Files.size(file));
        }
    }

    /**
     * Declares that the operation relies on {@code key}, which exists (a stat found it) but may have
     * been published by a batch whose {@link #sync()} has not run yet.
     */
    void rely(StorageNamespace ns, String key);

    /** Returns once every object put or relied on through this batch so far survives a power cut. */
    void sync();

    /** The batch of a store whose every {@link BlockStore#put} is durable when it returns. */
    static BlockBatch immediate(BlockStore store) {
        return new BlockBatch() {
            @Override
            public PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength) {
                return store.put(ns, key, data, contentLength);
            }

            @Override
            public void rely(StorageNamespace ns, String key) {
                // durable once published: nothing to add
            }

            @Override
            public void sync() {
                // every put was durable when it returned
            }
        };
    }
}
