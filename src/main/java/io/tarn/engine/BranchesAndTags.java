package io.tarn.engine;

import io.tarn.error.AlreadyExistsException;
import io.tarn.error.DefaultBranchException;
import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.Tag;
import io.tarn.engine.refs.BranchRecord;
import io.tarn.engine.refs.MetaStore;
import io.tarn.engine.refs.Names;
import io.tarn.engine.refs.RefResolver;
import io.tarn.engine.staging.Staging;
import java.util.List;
import java.util.Optional;

/** Branches and tags: the named refs of a repository (a name is a branch or a tag, never both). */
final class BranchesAndTags {

    private final EngineContext ctx;

    BranchesAndTags(EngineContext ctx) {
        this.ctx = ctx;
    }

    /**
     * One read and one write of the metadata store: the repository, the new name as a branch and
     * as a tag, and the source's name part as a branch and as a tag in one {@code getAll}
     * (commits come from the cache), then the compare-and-set that creates the branch only if it is
     * still absent (the answer to a race with another creator).
     */
    Branch createBranch(String repository, String name, String sourceRef) {
        if (repository == null || !Names.isRepositoryId(repository) || !Names.isBranchName(name)) {
            ctx.repo(repository);
            Names.branch(name);
        }
        String base = RefResolver.base(sourceRef);
        MetaStore.NewBranchRead read = ctx.meta.readForNewBranch(repository, name, base);
        if (read.repository().isEmpty()) {
            throw new NotFoundException(NotFoundException.Kind.REPOSITORY, repository);
        }
        if (read.tagExists()) {
            throw new AlreadyExistsException("a tag named " + name + " already exists");
        }
        Commit source = ctx.refs.resolve(repository, sourceRef, new RefResolver.BaseLookup() {
            @Override
            public Optional<MetaStore.StoredBranch> branch(String b) {
                return b.equals(base) ? read.sourceBranch() : ctx.meta.branch(repository, b);
            }

            @Override
            public Optional<String> tag(String b) {
                return b.equals(base) ? read.sourceTag() : ctx.meta.tag(repository, b);
            }
        }).commit();
        BranchRecord created = new BranchRecord(source.id(), Staging.newToken(), List.of());
        if (read.branchExists() || !ctx.meta.casBranch(repository, name, null, created)) {
            throw new AlreadyExistsException("branch " + name + " already exists");
        }
        return new Branch(name, source.id());
    }

    Branch getBranch(String repository, String name) {
        ctx.repo(repository);
        return new Branch(name, ctx.branch(repository, name).record().commitId());
    }

    Page<Branch> listBranches(String repository, String after, int amount) {
        ctx.repo(repository);
        amount = Names.amount(amount);
        List<Branch> items = ctx.meta.branches(repository, after, amount + 1).stream()
                .map(b -> new Branch(b.name(), b.record().commitId())).toList();
        return EngineContext.page(items, amount, Branch::name);
    }

    void deleteBranch(String repository, String name) {
        Repository r = ctx.repo(repository);
        ctx.retry.runUntilDone("branch " + name, "deleting it", () -> {
            MetaStore.StoredBranch b = ctx.branch(repository, name);
            if (r.defaultBranch().equals(name)) {
                throw new DefaultBranchException(name);
            }
            if (!ctx.meta.deleteBranch(repository, name, b.raw())) {
                return false;
            }
            ctx.dropStaging(b.record());
            return true;
        });
    }

    Tag createTag(String repository, String name, String ref) {
        ctx.repo(repository);
        Names.tag(name);
        if (ctx.meta.branch(repository, name).isPresent()) {
            throw new AlreadyExistsException("a branch named " + name + " already exists");
        }
        Commit c = ctx.refs.resolve(repository, ref).commit();
        if (!ctx.meta.createTag(repository, name, c.id())) {
            throw new AlreadyExistsException("tag " + name + " already exists");
        }
        return new Tag(name, c.id());
    }

    Tag getTag(String repository, String name) {
        ctx.repo(repository);
        if (!Names.isTagName(name)) {
            throw new NotFoundException(NotFoundException.Kind.TAG, String.valueOf(name));
        }
        return new Tag(name, ctx.meta.tag(repository, name)
                .orElseThrow(() -> new NotFoundException(NotFoundException.Kind.TAG, name)));
    }

    Page<Tag> listTags(String repository, String after, int amount) {
        ctx.repo(repository);
        amount = Names.amount(amount);
        List<Tag> items = ctx.meta.tags(repository, after, amount + 1).stream().map(t -> new Tag(t[0], t[1])).toList();
        return EngineContext.page(items, amount, Tag::name);
    }

    void deleteTag(String repository, String name) {
        getTag(repository, name);
        ctx.meta.deleteTag(repository, name);
    }
}
