package io.tarn.error;

/** The source has no changes that the destination lacks. */
public final class NothingToMergeException extends TarnException {
    public NothingToMergeException(String source, String destination) {
        super("nothing to merge: " + destination + " already contains " + source);
    }
}
