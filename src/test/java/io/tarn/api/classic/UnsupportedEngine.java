package io.tarn.api.classic;

import io.tarn.block.ByteRange;
import io.tarn.engine.Engine;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommitRequest;
import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.MergeRequest;
import io.tarn.engine.model.MergeResult;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.model.Tag;
import java.io.InputStream;
import java.util.Map;

/** An engine double whose every method fails; tests override the few calls they expect. */
public class UnsupportedEngine implements Engine {
    private static AssertionError unexpected() {
        return new AssertionError("unexpected engine call");
    }

    @Override public Repository createRepository(String id, String ns, String b) { throw unexpected(); }
    @Override public Repository getRepository(String id) { throw unexpected(); }
    @Override public Page<Repository> listRepositories(String after, int amount) { throw unexpected(); }
    @Override public void deleteRepository(String id) { throw unexpected(); }
    @Override public Branch createBranch(String r, String n, String s) { throw unexpected(); }
    @Override public Branch getBranch(String r, String n) { throw unexpected(); }
    @Override public Page<Branch> listBranches(String r, String after, int amount) { throw unexpected(); }
    @Override public void deleteBranch(String r, String n) { throw unexpected(); }
    @Override public Tag createTag(String r, String n, String ref) { throw unexpected(); }
    @Override public Tag getTag(String r, String n) { throw unexpected(); }
    @Override public Page<Tag> listTags(String r, String after, int amount) { throw unexpected(); }
    @Override public void deleteTag(String r, String n) { throw unexpected(); }
    @Override public ObjectEntry putObject(String r, String b, String p, InputStream c, long l, String t,
                                           Map<String, String> m) { throw unexpected(); }
    @Override public ObjectEntry stageObject(String r, String b, ObjectEntry e) { throw unexpected(); }
    @Override public ObjectEntry statObject(String r, String ref, String p) { throw unexpected(); }
    @Override public io.tarn.engine.model.LocatedObject locateObject(String r, String ref, String p) { throw unexpected(); }
    @Override public InputStream readObject(String r, ObjectEntry e, ByteRange range) { throw unexpected(); }
    @Override public void deleteObject(String r, String b, String p) { throw unexpected(); }
    @Override public Page<ListItem> listObjects(String r, String ref, String prefix, String d, String after,
                                                int amount) { throw unexpected(); }
    @Override public Page<Change> diffBranch(String r, String b, String after, int amount) { throw unexpected(); }
    @Override public Page<Change> diffRefs(String r, String l, String rr, DiffType t, String after, int amount) {
        throw unexpected();
    }
    @Override public Commit commit(String r, String b, CommitRequest c) { throw unexpected(); }
    @Override public Commit getCommit(String r, String ref) { throw unexpected(); }
    @Override public Page<Commit> log(String r, String ref, boolean fp, String after, int amount) { throw unexpected(); }
    @Override public Page<Commit> log(String r, String ref, io.tarn.engine.model.LogFilter f, String after, int amount) { throw unexpected(); }
    @Override public void reset(String r, String b, ResetScope s) { throw unexpected(); }
    @Override public Commit revert(String r, String b, String c, int p, CommitRequest req) { throw unexpected(); }
    @Override public MergeResult merge(String r, String s, String d, MergeRequest req) { throw unexpected(); }
    @Override public void close() {}
}
