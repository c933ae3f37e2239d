package io.tarn.kv;

import java.util.Arrays;
import java.util.Optional;

/**
 * Compare-and-set for callers whose updates are values nobody else writes (a branch record with a
 * fresh staging token, a record with a new id or creation time): when the store reports the outcome
 * as unknown ({@link KvOutcomeUnknownException}), the key is read again and the swap counts as done
 * exactly when the key now holds {@code update} (or is absent, for a delete).
 *
 * <p>Any other value means the swap did not happen or was overtaken by another writer; both are
 * reported as a lost race ({@code false}), which the caller's retry loop handles by reading afresh.
 * If the re-read fails too, the original exception is thrown (with the re-read's as suppressed): the
 * outcome is still unknown, and the caller must not report success or failure either.
 */
public final class CasOutcomes {

    private CasOutcomes() {}

    /** {@link KvStore#compareAndSet}, deciding an unknown outcome by reading the key again. */
    public static boolean compareAndSet(KvStore kv, byte[] key, byte[] expected, byte[] update) {
        try {
            return kv.compareAndSet(key, expected, update);
        } catch (KvOutcomeUnknownException unknown) {
            Optional<byte[]> now;
            try {
                now = kv.get(key);
            } catch (RuntimeException again) {
                unknown.addSuppressed(again);
                throw unknown;
            }
            return update == null ? now.isEmpty() : now.isPresent() && Arrays.equals(now.get(), update);
        }
    }
}
