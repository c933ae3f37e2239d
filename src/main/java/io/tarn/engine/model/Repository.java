package io.tarn.engine.model;

/**
 * A repository: a versioned tree of objects whose data lives under one storage namespace.
 *
 * @param incarnation a random id given when the repository is created: a repository deleted and
 *                    created again under the same id has another one (caches key by it), or empty
 *                    where none is known
 */
public record Repository(String id, String storageNamespace, String defaultBranch, long creationDate, String incarnation) {

    public Repository {
        incarnation = incarnation == null ? "" : incarnation;
    }

    /** A repository with no known incarnation. */
    public Repository(String id, String storageNamespace, String defaultBranch, long creationDate) {
        this(id, storageNamespace, defaultBranch, creationDate, "");
    }
}
