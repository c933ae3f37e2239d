package io.tarn.engine;

import io.tarn.error.TooManyRetriesException;
import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Repository;
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
     * the write, so the commit that seals it includes the write. Otherwise (a commit sealed it
     * meanwhile) the value is removed from the stale token and written again into the current one.
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
        String hinted = initial != null ? initial.record().stagingToken() : ctx.tokenHints.getIfPresent(hintKey);
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
            String current = now.branch().get().record().stagingToken();
            if (current.equals(token[0])) {
                ctx.tokenHints.put(hintKey, token[0]);
                return true;
            }
            // the token was sealed (or the branch reset) while we wrote: no garbage left in it
            ctx.staging.delete(token[0], key);
            token[0] = current;
            return false;
        });
    }
}
