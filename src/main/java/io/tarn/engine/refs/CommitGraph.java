package io.tarn.engine.refs;

import io.tarn.error.NotFoundException;
import io.tarn.engine.model.Commit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/** Walks the commit graph: merge bases and history in a stable newest-first order. */
public final class CommitGraph {

    /** Newest first: higher generation, then later creation date, then id. A topological order. */
    public static final Comparator<Commit> NEWEST_FIRST = Comparator.comparingLong(Commit::generation).reversed()
            .thenComparing(Comparator.comparingLong(Commit::creationDate).reversed())
            .thenComparing(Commit::id);

    private final MetaStore meta;

    public CommitGraph(MetaStore meta) {
        this.meta = meta;
    }

    private Commit load(String repo, String id) {
        return meta.commit(repo, id).orElseThrow(() -> new NotFoundException(NotFoundException.Kind.COMMIT, id));
    }

    /**
     * A best common ancestor of two commits (one with the highest generation), or {@code null} if they
     * share no history. Walks only the commits newer than that ancestor.
     */
    public Commit mergeBase(String repo, Commit a, Commit b) {
        if (a.id().equals(b.id())) {
            return a;
        }
        final int fromA = 1;
        final int fromB = 2;
        Map<String, Integer> flags = new HashMap<>();
        PriorityQueue<Commit> queue = new PriorityQueue<>(NEWEST_FIRST);
        flags.put(a.id(), fromA);
        flags.merge(b.id(), fromB, (x, y) -> x | y);
        queue.add(a);
        queue.add(b);
        while (!queue.isEmpty()) {
            Commit c = queue.poll();
            int f = flags.get(c.id());
            if (f == (fromA | fromB)) {
                return c;
            }
            for (String p : c.parents()) {
                Integer old = flags.get(p);
                if (old == null) {
                    flags.put(p, f);
                    queue.add(load(repo, p));
                } else if ((old | f) != old) {
                    // already queued: its flags grow before it is popped (it is older than c)
                    flags.put(p, old | f);
                }
            }
        }
        return null;
    }

    /** All commits reachable from {@code head}, newest first, streaming (each commit once). */
    public Iterator<Commit> history(String repo, Commit head, boolean firstParentOnly) {
        if (firstParentOnly) {
            return new Iterator<>() {
                Commit next = head;

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public Commit next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    Commit c = next;
                    next = c.parents().isEmpty() ? null : load(repo, c.parents().get(0));
                    return c;
                }
            };
        }
        PriorityQueue<Commit> queue = new PriorityQueue<>(NEWEST_FIRST);
        java.util.Set<String> seen = new java.util.HashSet<>();
        queue.add(head);
        seen.add(head.id());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !queue.isEmpty();
            }

            @Override
            public Commit next() {
                Commit c = queue.poll();
                if (c == null) {
                    throw new NoSuchElementException();
                }
                for (String p : c.parents()) {
                    if (seen.add(p)) {
                        queue.add(load(repo, p));
                    }
                }
                return c;
            }
        };
    }
}
