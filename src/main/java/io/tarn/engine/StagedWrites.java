package io.tarn.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tarn.error.NotFoundException;
import io.tarn.engine.refs.MetaStore;

/**
 * Writes into a branch's staging area so that an acknowledged write is never lost to a concurrent
 * commit (see {@link #stage}).
 */
final class StagedWrites {

    private final EngineContext ctx;
    /** repository/branch -> the staging token last seen current (a hint; never trusted without a re-read). */
    final Cache<String, String> tokenHints = Caffeine.newBuilder().maximumSize(100_000).recordStats().build();

    StagedWrites(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Writes a staged value (or a tombstone when {@code value == null}) so that it is never lost to a
     * concurrent commit: write into a token, then re-read the branch; if that token is still the
     * branch's current one, any later seal of it comes after the write, so the commit that seals it
     * includes the write. Otherwise (a commit sealed it meanwhile) the value is removed from the stale
     * token and written again into the current one.
     *
     * <p>The first token tried may come from {@code initial} or, when that is {@code null}, from the
     * last token this engine saw for the branch: only the re-read after the write decides, so a stale
     * hint costs one retry and saves a read on every other write.
     */
    void stage(String repository, String branch, byte[] key, byte[] value, MetaStore.StoredBranch initial) {
        String hintKey = repository + '/' + branch;
        String hinted = initial != null ? initial.record().stagingToken() : tokenHints.getIfPresent(hintKey);
        String first = hinted != null ? hinted : ctx.branchForWrite(repository, branch).record().stagingToken();
        String[] token = {first};
        ctx.retry.runUntilDone("branch " + branch, "writing", () -> {
            if (value == null) {
                ctx.staging.putTombstone(token[0], key);
            } else {
                ctx.staging.put(token[0], key, value);
            }
            String current;
            try {
                current = ctx.branchForWrite(repository, branch).record().stagingToken();
            } catch (NotFoundException gone) {
                ctx.staging.delete(token[0], key);
                tokenHints.invalidate(hintKey);
                throw gone;
            }
            if (current.equals(token[0])) {
                tokenHints.put(hintKey, token[0]);
                return true;
            }
            // the token was sealed (or the branch reset) while we wrote: no garbage left in it
            ctx.staging.delete(token[0], key);
            token[0] = current;
            return false;
        });
    }
}
