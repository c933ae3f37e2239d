package io.tarn.api.s3;

/**
 * An S3 error: the HTTP status and the S3 error code that clients switch on ({@code NoSuchKey},
 * {@code AccessDenied}, ...), with a message for people.
 */
public final class S3Error extends RuntimeException {
    private final int status;
    private final String code;

    public S3Error(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static S3Error notImplemented(String message) {
        return new S3Error(501, "NotImplemented", message);
    }
}
