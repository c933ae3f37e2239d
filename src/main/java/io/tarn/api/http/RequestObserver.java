package io.tarn.api.http;

/** Told about every answered request, after its response is complete (access log, metrics). Must be cheap. */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = record -> {};

    void finished(RequestRecord record);

    /** Both observers, this one first. */
    default RequestObserver andThen(RequestObserver next) {
        return record -> {
            finished(record);
            next.finished(record);
        };
    }
}
