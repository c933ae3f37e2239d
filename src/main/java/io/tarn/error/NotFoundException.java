package io.tarn.error;

/** The named repository, branch, tag, ref, commit or object does not exist. */
public final class NotFoundException extends TarnException {

    /** What was not found. */
    public enum Kind { REPOSITORY, BRANCH, TAG, REF, COMMIT, OBJECT, USER, CREDENTIALS, UPLOAD, IMPORT, GROUP, POLICY,
        GC_RULES, RETENTION_POLICY }

    private final Kind kind;
    private final String name;

    public NotFoundException(Kind kind, String name) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + " not found: " + name);
        this.kind = kind;
        this.name = name;
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }
}
