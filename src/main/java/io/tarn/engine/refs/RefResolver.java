package io.tarn.engine.refs;

import io.tarn.error.AmbiguousRefException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Commit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves refs: a branch, a tag, a full commit id, or a unique commit-id prefix of at least 6 hex
 * digits (tried in that order), optionally followed by {@code @} or {@code :HEAD} (lakeFS 2020's
 * spelling; both mean the committed state, which matters for a branch only), then by any sequence
 * of {@code ~N} (N-th first-parent ancestor, {@code ~} = {@code ~1}) and {@code ^N} (N-th parent,
 * {@code ^} = {@code ^1}, {@code ^0} = itself).
 */
public final class RefResolver {

    private static final Pattern HEX = Pattern.compile("^[0-9a-fA-F]+$");
    public static final int MIN_PREFIX = 6;
    /** lakeFS 2020's suffix for a branch's committed state ({@code main:HEAD}); same as {@code @}. */
    public static final String COMMITTED_SUFFIX = ":HEAD";

    private final MetaStore meta;

    public RefResolver(MetaStore meta) {
        this.meta = meta;
    }

    /** How {@link #resolve(String, String, BaseLookup)} finds the branch and the tag of a ref's name part. */
    public interface BaseLookup {
        Optional<MetaStore.StoredBranch> branch(String base);

        Optional<String> tag(String base);
    }

    /**
     * The name part of {@code ref} (before any {@code @}, {@code :HEAD}, {@code ~} or {@code ^}), or
     * null when it has none; what {@link #resolve} looks up as a branch or a tag.
     */
    public static String base(String ref) {
        if (ref == null) {
            return null;
        }
        int cut = 0;
        while (cut < ref.length() && "@:~^".indexOf(ref.charAt(cut)) < 0) {
            cut++;
        }
        return cut == 0 ? null : ref.substring(0, cut);
    }

    public ResolvedRef resolve(String repo, String ref) {
        return resolve(repo, ref, new BaseLookup() {
            @Override
            public Optional<MetaStore.StoredBranch> branch(String base) {
                return meta.branch(repo, base);
            }

            @Override
            public Optional<String> tag(String base) {
                return meta.tag(repo, base);
            }
        });
    }

    /**
     * {@link #resolve(String, String)} with the branch and the tag of the ref's name part found by
     * {@code lookup} (a caller that read them already, together with other keys); commits are read
     * from the store (or its cache) as usual.
     */
    public ResolvedRef resolve(String repo, String ref, BaseLookup lookup) {
        if (ref == null || ref.isEmpty()) {
            throw new InvalidArgumentException("ref must not be empty");
        }
        int cut = 0;
        while (cut < ref.length() && "@:~^".indexOf(ref.charAt(cut)) < 0) {
            cut++;
        }
        String base = ref.substring(0, cut);
        if (base.isEmpty()) {
            throw new InvalidArgumentException("invalid ref '" + ref + "'");
        }
        int i = cut;
        boolean committedOnly = false;
        if (i < ref.length() && ref.charAt(i) == '@') {
            committedOnly = true;
            i++;
        } else if (ref.startsWith(COMMITTED_SUFFIX, i)) {
            committedOnly = true;
            i += COMMITTED_SUFFIX.length();
        }
        boolean modified = i < ref.length();
        // validate the modifier syntax before any lookup
        for (int j = i; j < ref.length(); ) {
            char c = ref.charAt(j++);
            if (c != '~' && c != '^') {
                throw new InvalidArgumentException("invalid ref '" + ref + "'");
            }
            int start = j;
            while (j < ref.length() && Character.isDigit(ref.charAt(j))) {
                j++;
            }
            if (j - start > 6) {
                throw new InvalidArgumentException("invalid ref '" + ref + "': number too large");
            }
        }

        Commit commit;
        String branchName = null;
        BranchRecord branch = null;
        Optional<MetaStore.StoredBranch> b = Names.isBranchName(base) ? lookup.branch(base) : Optional.empty();
        if (b.isPresent()) {
            commit = commit(repo, b.get().record().commitId(), ref);
            if (!committedOnly && !modified) {
                branchName = base;
                branch = b.get().record();
            }
        } else {
            Optional<String> tag = Names.isTagName(base) ? lookup.tag(base) : Optional.empty();
            if (tag.isPresent()) {
                commit = commit(repo, tag.get(), ref);
            } else if (HEX.matcher(base).matches() && base.length() >= MIN_PREFIX && base.length() <= 64) {
                String lower = base.toLowerCase(Locale.ROOT);
                if (lower.length() == 64) {
                    commit = meta.commit(repo, lower).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.REF, ref));
                } else {
                    List<String> ids = meta.commitIdsWithPrefix(repo, lower, 2);
                    if (ids.isEmpty()) {
                        throw new NotFoundException(NotFoundException.Kind.REF, ref);
                    }
                    if (ids.size() > 1) {
                        throw new AmbiguousRefException(ref);
                    }
                    commit = commit(repo, ids.get(0), ref);
                }
            } else {
                throw new NotFoundException(NotFoundException.Kind.REF, ref);
            }
        }

        for (int j = i; j < ref.length(); ) {
            char c = ref.charAt(j++);
            int start = j;
            while (j < ref.length() && Character.isDigit(ref.charAt(j))) {
                j++;
            }
            int n = j == start ? 1 : Integer.parseInt(ref.substring(start, j));
            if (c == '~') {
                for (int k = 0; k < n; k++) {
                    if (commit.parents().isEmpty()) {
                        throw new NotFoundException(NotFoundException.Kind.REF, ref);
                    }
                    commit = commit(repo, commit.parents().get(0), ref);
                }
            } else if (n > 0) {
                if (n > commit.parents().size()) {
                    throw new NotFoundException(NotFoundException.Kind.REF, ref);
                }
                commit = commit(repo, commit.parents().get(n - 1), ref);
            }
        }
        return new ResolvedRef(commit, branchName, branch);
    }

    private Commit commit(String repo, String id, String ref) {
        return meta.commit(repo, id).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.REF, ref));
    }
}
