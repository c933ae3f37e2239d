package io.tarn.auth;

/** A user; {@code creationDate} in epoch seconds; {@code email} and {@code friendlyName} may be null. */
public record User(String id, long creationDate, String email, String friendlyName) {
    public User(String id, long creationDate) {
        this(id, creationDate, null, null);
    }
}
