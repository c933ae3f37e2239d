package io.tarn.auth;

/** A group of users; {@code creationDate} in epoch seconds; {@code description} may be null. */
public record Group(String id, long creationDate, String description) {}
