package io.tarn.config;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens where a {@code logging.output} value points: {@code -} is the standard output (as in
 * lakeFS), {@code =} the standard error, anything else a file opened for append (its folder is
 * created). Closing a standard stream returned here only flushes it. Every log writer of the process
 * (the application log, the access log) opens its output through this.
 */
public final class LogOutputs {
    private LogOutputs() {}

    /**
     * @throws ConfigException if the file cannot be opened for append
     */
    public static OutputStream open(String output) {
        if (output.equals(TarnConfig.Logging.STDOUT)) {
            return unclosable(System.out);
        }
        if (output.equals(TarnConfig.Logging.STDERR)) {
            return unclosable(System.err);
        }
        Path file = Path.of(output);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException | SecurityException e) {
            throw new ConfigException("cannot open logging.output " + output + " for append: " + e.getMessage(), e);
        }
    }

    private static OutputStream unclosable(OutputStream stream) {
        return new FilterOutputStream(stream) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
