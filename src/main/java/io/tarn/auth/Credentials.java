package io.tarn.auth;

/** An access key with its secret in plain text: only ever returned right after it was created. */
public record Credentials(String userId, String accessKeyId, String secretAccessKey, long creationDate) {
    @Override
    public String toString() {
        return "Credentials[userId=" + userId + ", accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
    }
}
