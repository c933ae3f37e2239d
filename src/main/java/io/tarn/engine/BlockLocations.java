package io.tarn.engine;

import io.tarn.block.BlockKeys;
import io.tarn.block.BlockStore;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.StorageNamespace;
import io.tarn.block.StorageNamespaces;
import io.tarn.engine.model.Repository;
import io.tarn.error.InvalidArgumentException;
import java.util.List;

/**
 * Full block-store URIs ({@code s3://bucket/key}, {@code local://dir/key}) as physical addresses: the
 * data of imported or externally staged objects lives outside the repository's namespace. A URI is
 * read as the namespace of its first segment (the bucket, or the first directory under the local
 * root) and the key after it.
 */
final class BlockLocations {
    /** Repositories listed per page when checking that a location belongs to none. */
    private static final int PAGE = 1000;

    private BlockLocations() {}

    /** A namespace and a key in it. */
    record Located(StorageNamespace ns, String key) {}

    static boolean isFull(String address) {
        return address.contains("://");
    }

    /** Splits a full URI of this block store into its root namespace and key. */
    static Located locate(BlockStore blocks, String uri) {
        int sep = uri.indexOf("://");
        if (sep <= 0) {
            throw new InvalidArgumentException("not a block store URI: " + quote(uri));
        }
        String scheme = uri.substring(0, sep);
        if (!scheme.equals(blocks.type())) {
            throw new InvalidArgumentException("location " + quote(uri) + " is not in this server's "
                    + blocks.type() + " block store (expected " + blocks.type() + "://...)");
        }
        String rest = uri.substring(sep + 3);
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new InvalidArgumentException("location " + quote(uri)
                    + " must name a key below a bucket or top-level directory");
        }
        String key = rest.substring(slash + 1);
        String problem = BlockKeys.problem(key);
        if (problem != null) {
            throw new InvalidArgumentException("location " + quote(uri) + " is not a valid key: " + problem);
        }
        try {
            return new Located(blocks.namespace(scheme + "://" + rest.substring(0, slash)), key);
        } catch (InvalidNamespaceException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }

    /** A location (a prefix or a key) as a namespace, to compare with repositories' namespaces. */
    static StorageNamespace asNamespace(BlockStore blocks, String uri) {
        String trimmed = uri;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            return StorageNamespaces.parse(trimmed, blocks.type());
        } catch (InvalidNamespaceException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }

    /**
     * Refuses a location that lies inside a repository's storage namespace or holds one: that data is
     * managed by the repository (its ranges, its objects' lifetimes), never to be referenced from outside.
     */
    static void requireOutsideRepositories(EngineContext ctx, String uri) {
        StorageNamespace location = asNamespace(ctx.blocks, uri);
        StorageNamespace real = Repositories.real(ctx.blocks, location);
        String after = null;
        while (true) {
            List<Repository> page = ctx.meta.repositories(after, PAGE);
            for (Repository other : page) {
                StorageNamespace theirs;
                try {
                    theirs = StorageNamespaces.parse(other.storageNamespace(), location.scheme());
                } catch (InvalidNamespaceException otherStore) {
                    continue;
                }
                String how = Repositories.overlap(ctx.blocks, location, real, theirs);
                if (how != null) {
                    throw new InvalidArgumentException("location " + uri + " " + (how.equals("contains")
                            ? "holds" : "lies in") + " the storage namespace of repository " + other.id()
                            + ": only data outside every repository's namespace can be imported or staged");
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private static String quote(String value) {
        return "'" + value + "'";
    }
}
