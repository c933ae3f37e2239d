package io.tarn.engine;

import io.tarn.error.TooManyRetriesException;
import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Repository;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.MetaStore;
import java.util.List;

/**
 * Writes into a branch's staging area so that an acknowledged write is never lost to a concurrent
 * commit (see {@link #stage}).
 */
final class StagedWrites {

    private final EngineContext ctx;

    StagedWrites(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Writes a staged value (or a tombstone when {@code value == null}) so that it is never lost to a
     * concurrent commit: write into a token, then re-read the branch (and its repository, in the same
     * round trip); if that token is still the branch's current one, any later seal of it comes after
     * the write, so the commit that seals it includes the write. Otherwise the value is written again
     * into the current token, and what becomes of the one written into the stale token depends on why
     * it is stale. If a commit still in progress sealed it, it stays: it may have replaced an earlier,
     * acknowledged value of the same key, which that commit must include, and removing it would take
     * both out of the commit; the commit reads the write's value in its place (a write concurrent with
     * the commit may go into it) and drops the token when it finishes. If the token is no longer on the
     * branch at all (its commit finished, or a reset dropped it), it is removed: nothing reads that
     * token again, and a write that landed after the drop would stay as garbage. A token leaves the
     * branch record before its rows are dropped, so a write that lands after the drop always sees it
     * gone when it reads the branch.
     *
     * <p>The first token tried may come from {@code initial} or, when that is {@code null}, from the
     * last token this engine saw for the branch: only the re-read after the write decides, so a stale
     * hint costs one retry and saves a read on every other write.
     *
     * @param written the repository record the caller wrote the entry's data under, or {@code null}:
     *                when given, the write is kept only if the repository read after it is the same one
     *                (not deleted, or deleted and created again, meanwhile)
     */
    void stage(String repository, String branch, byte[] key, byte[] value, MetaStore.StoredBranch initial,
               Repository written) {
        String hintKey = EngineContext.hintKey(repository, branch);
        String cached = initial != null ? null : ctx.tokenHints.getIfPresent(hintKey);
        String hinted = initial != null ? initial.record().stagingToken() : cached;
        String first = hinted != null ? hinted
                : ctx.readBranch(repository, branch, List.of()).branch().orElseThrow().record().stagingToken();
        String[] token = {first};
        ctx.retry.runUntilDone("branch " + branch, "writing", () -> {
            if (value == null) {
                ctx.staging.putTombstone(token[0], key);
            } else {
                ctx.staging.put(token[0], key, value);
            }
            MetaStore.BranchRead now;
            try {
                now = ctx.readBranch(repository, branch, List.of());
            } catch (NotFoundException gone) {
                ctx.staging.delete(token[0], key);
                throw gone;
            }
            if (written != null && !EngineContext.sameRepository(written, now.repository().get())) {
                ctx.staging.delete(token[0], key);
                ctx.tokenHints.invalidate(hintKey);
                throw new TooManyRetriesException("repository " + repository
                        + " was deleted and created again while the object was written; write it again");
            }
            BranchRecord rec = now.branch().get().record();
            String current = rec.stagingToken();
            if (current.equals(token[0])) {
                if (!current.equals(cached)) {
                    ctx.tokenHints.put(hintKey, current); // a put of the hint it already holds would cost a write
                }
                return true;
            }
            if (!rec.sealedTokens().contains(token[0])) {
                // committed and dropped, or dropped by a reset: nobody reads the token again, and a
                // write that landed after its drop would stay there as garbage
                ctx.staging.delete(token[0], key);
            }
            // else a commit in progress sealed it: the write may have replaced an acknowledged value
            // that commit must include, so it is left for the commit to read (the write's own value
            // takes that value's place) and goes with the token when the commit finishes
            token[0] = current;
            return false;
        });
    }
}
