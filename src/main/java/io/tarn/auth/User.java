package io.tarn.auth;

/** A user; {@code creationDate} in epoch seconds. */
public record User(String id, long creationDate) {}
