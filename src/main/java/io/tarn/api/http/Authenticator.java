package io.tarn.api.http;

import java.util.Optional;

/** Checks HTTP basic credentials: the user id they belong to, or empty if they are not valid. */
@FunctionalInterface
public interface Authenticator {
    Optional<String> authenticate(String accessKeyId, String secretAccessKey);
}
