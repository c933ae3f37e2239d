package io.tarn.error;

/** A commit id prefix that matches more than one commit. */
public final class AmbiguousRefException extends TarnException {
    public AmbiguousRefException(String ref) {
        super("ambiguous ref: " + ref);
    }
}
