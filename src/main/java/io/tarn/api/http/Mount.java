package io.tarn.api.http;

import java.util.Objects;

/** A surface and the requests that go to it. The front door tries mounts in order; the first that matches serves. */
public record Mount(RequestMatcher when, Surface surface) {
    public Mount {
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(surface, "surface");
    }
}
