package io.tarn.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.tarn.config.LogOutputs;
import io.tarn.config.TarnConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * The application log (Logback), configured in code from {@code logging.*}: one appender on the
 * root logger writing {@code text} or {@code json} lines to the {@code logging.output} stream, at
 * {@code logging.level} ({@code NONE}: off). Jetty, the AWS SDK and the HTTP client log through
 * SLF4J, so their events go the same way.
 *
 * <p>The access logger {@code io.tarn.access} gets no appender and does not pass its events to the
 * root: the access log has its own buffered writer in the HTTP layer, which only asks this logger
 * whether it is enabled (so {@code logging.level=NONE} or {@code WARN} turns it off as well).
 */
public final class LogSetup {
    public static final String ACCESS_LOGGER = "io.tarn.access";
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger - %msg%n";
    private static final String APPENDER = "tarn";

    private LogSetup() {}

    /**
     * Replaces the current logging configuration with {@code logging}'s.
     *
     * @throws io.tarn.config.ConfigException if {@code logging.output} cannot be opened
     */
    public static synchronized void configure(TarnConfig.Logging logging) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            OutputStream out = LogOutputs.open(logging.output()); // before reset: a bad path keeps the old setup
            apply(context, logging, out);
        }
    }

    static void apply(LoggerContext context, TarnConfig.Logging logging, OutputStream out) {
        context.reset();
        Layout<ILoggingEvent> layout;
        if (logging.format().equals("json")) {
            layout = new JsonLogLayout();
        } else {
            PatternLayout pattern = new PatternLayout();
            pattern.setPattern(TEXT_PATTERN);
            layout = pattern;
        }
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();

        Level level = level(logging.level());
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        Logger access = context.getLogger(ACCESS_LOGGER);
        access.setAdditive(false);
        access.setLevel(level);
    }

    static Level level(String level) {
        return switch (level) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARN" -> Level.WARN;
            case "ERROR" -> Level.ERROR;
            case "NONE" -> Level.OFF;
            default -> throw new IllegalArgumentException("unknown logging.level " + level);
        };
    }

    /**
     * What Logback starts with, found through {@code META-INF/services}: the defaults of
     * {@code logging.*}, until {@link #configure} applies the loaded settings. Without it Logback would
     * log everything at DEBUG until then.
     */
    @ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
    public static final class Defaults extends ContextAwareBase implements Configurator {
        @Override
        public ExecutionStatus configure(LoggerContext context) {
            TarnConfig.Logging defaults = TarnConfig.Logging.defaults();
            apply(context, defaults, LogOutputs.open(defaults.output()));
            return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
        }
    }
}
