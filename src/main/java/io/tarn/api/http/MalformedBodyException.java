package io.tarn.api.http;

import java.io.IOException;

/**
 * The request body broke while it was being read: cut short, or not the multipart/form-data it
 * claimed to be. It is an {@link IOException} so that it travels through code that reads streams
 * (the engine writing an object); {@link ErrorMapper} finds it in the cause chain and answers 400.
 */
public final class MalformedBodyException extends IOException {
    public MalformedBodyException(String message) {
        super(message);
    }

    public MalformedBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
