package io.tarn.engine.model;

import java.util.List;
import java.util.Map;

/**
 * A commit. Its id is the SHA-256 (64 hex digits) of its content: parents, committer, message,
 * metadata, creation date and tree id.
 *
 * @param creationDate epoch seconds
 * @param generation   1 + the largest generation of its parents (the initial commit has 1)
 */
public record Commit(String id, List<String> parents, String committer, String message,
                     long creationDate, Map<String, String> metadata, String treeId, long generation) {}
