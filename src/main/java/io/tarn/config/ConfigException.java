package io.tarn.config;

/** A configuration that cannot be used: unknown key, bad value, unreadable file. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
