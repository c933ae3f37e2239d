package io.tarn.engine;

import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NothingToCommitException;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.refs.Names;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.TreeWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Commits: committing a branch's staged changes, reading commits and history, resetting staged changes. */
final class Commits {

    private final EngineContext ctx;

    Commits(EngineContext ctx) {
        this.ctx = ctx;
    }

    Commit commit(String repository, String branch, CommitRequest request) {
        Repository r = ctx.repo(repository);
        StorageNamespace ns = ctx.ns(r);
        CommitRequest req = request == null ? new CommitRequest("", "", Map.of(), false) : request;
        return ctx.retry.run("branch " + branch, "committing", () -> {
            MetaStore.StoredBranch b = ctx.branch(repository, branch);
            BranchRecord rec = b.record();
            if (rec.sealedTokens().isEmpty() && !req.allowEmpty() && !ctx.staging.hasAny(rec.stagingToken())) {
                throw new NothingToCommitException(branch);
            }
            List<String> ours = new ArrayList<>(rec.readTokens());
            BranchRecord sealed = new BranchRecord(rec.commitId(), Staging.newToken(), ours);
            if (!ctx.meta.casBranch(repository, branch, b.raw(), sealed)) {
                return Optional.empty();
            }
            Commit parent = ctx.commit(repository, rec.commitId());
            TreeWriter.Result result;
            try (Staging.Scan changes = ctx.staging.scan(ours, null)) {
                result = ctx.trees.apply(ns, parent.treeId(), changes);
            }
            if (result.changed() == 0 && !req.allowEmpty()) {
                if (ctx.finish(repository, branch, parent.id(), ours, null)) {
                    throw new NothingToCommitException(branch);
                }
                return Optional.empty();
            }
            Commit c = CommitCodec.create(List.of(parent.id()), req.committer(), req.message(),
                    Instant.now().getEpochSecond(), req.metadata(), result.treeId(), parent.generation() + 1);
            ctx.meta.putCommit(repository, c);
            return ctx.finish(repository, branch, parent.id(), ours, c.id()) ? Optional.of(c) : Optional.empty();
        });
    }

    Commit get(String repository, String ref) {
        ctx.repo(repository);
        return ctx.refs.resolve(repository, ref).commit();
    }

    Page<Commit> log(String repository, String ref, boolean firstParentOnly, String after, int amount) {
        ctx.repo(repository);
        amount = Names.amount(amount);
        Commit head = ctx.refs.resolve(repository, ref).commit();
        Iterator<Commit> it = ctx.graph.history(repository, head, firstParentOnly);
        if (after != null && !after.isEmpty()) {
            boolean found = false;
            while (it.hasNext()) {
                if (it.next().id().equals(after)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return new Page<>(List.of(), false, null);
            }
        }
        List<Commit> out = new ArrayList<>();
        while (it.hasNext() && out.size() <= amount) {
            out.add(it.next());
        }
        return EngineContext.page(out, amount, Commit::id);
    }

    void reset(String repository, String branch, ResetScope scope) {
        ctx.repo(repository);
        if (scope == null) {
            throw new InvalidArgumentException("reset scope is missing");
        }
        switch (scope) {
            case ResetScope.All all -> {
                ctx.retry.runUntilDone("branch " + branch, "resetting", () -> {
                    MetaStore.StoredBranch b = ctx.branch(repository, branch);
                    BranchRecord fresh = new BranchRecord(b.record().commitId(), Staging.newToken(), List.of());
                    if (!ctx.meta.casBranch(repository, branch, b.raw(), fresh)) {
                        return false;
                    }
                    ctx.dropStaging(b.record());
                    return true;
                });
            }
            case ResetScope.Path p -> {
                byte[] key = Names.path(p.path());
                for (String t : ctx.branch(repository, branch).record().readTokens()) {
                    ctx.staging.delete(t, key);
                }
            }
            case ResetScope.Prefix p -> {
                byte[] pre = Bytes.utf8(p.prefix() == null ? "" : p.prefix());
                for (String t : ctx.branch(repository, branch).record().readTokens()) {
                    ctx.staging.deletePrefix(t, pre);
                }
            }
        }
    }
}
