package io.tarn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.config.ConfigException;
import io.tarn.config.TarnConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogSetupTest {
    @TempDir
    Path dir;

    private final Logger log = LoggerFactory.getLogger("io.tarn.test.LogSetupTest");

    @AfterEach
    void backToDefaults() {
        LogSetup.configure(TarnConfig.Logging.defaults());
    }

    @Test
    void jsonLinesToAFileAtTheConfiguredLevel() throws Exception {
        Path file = dir.resolve("logs/tarn.log");
        LogSetup.configure(new TarnConfig.Logging("json", "INFO", file.toString()));
        log.debug("not written");
        log.info("hello {}", "world \"quoted\"\nsecond line");
        log.error("it failed", new IllegalStateException("boom"));
        LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER).info("never through the application log");
        assertThat(LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER).isInfoEnabled()).isTrue();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode info = json.readTree(lines.get(0));
        assertThat(info.get("level").asText()).isEqualTo("INFO");
        assertThat(info.get("logger").asText()).isEqualTo("io.tarn.test.LogSetupTest");
        assertThat(info.get("message").asText()).isEqualTo("hello world \"quoted\"\nsecond line");
        assertThat(info.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(info.get("thread").asText()).isNotEmpty();
        assertThat(info.has("exception")).isFalse();
        JsonNode error = json.readTree(lines.get(1));
        assertThat(error.get("level").asText()).isEqualTo("ERROR");
        assertThat(error.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom")
                .contains("at io.tarn.server.LogSetupTest");

        // a second configuration appends to the same file
        LogSetup.configure(new TarnConfig.Logging("text", "WARN", file.toString()));
        log.info("filtered out");
        log.warn("plain text");
        assertThat(LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER).isInfoEnabled()).isFalse();
        List<String> after = Files.readAllLines(file);
        assertThat(after).hasSize(3);
        assertThat(after.get(2)).matches("\\d{4}-\\d\\d-\\d\\dT\\S+ WARN  \\[.+] io\\.tarn\\.test\\.LogSetupTest - plain text");
    }

    @Test
    void noneTurnsEverythingOff() throws Exception {
        Path file = dir.resolve("tarn.log");
        LogSetup.configure(new TarnConfig.Logging("text", "NONE", file.toString()));
        log.error("not even errors");
        assertThat(LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER).isInfoEnabled()).isFalse();
        assertThat(Files.readString(file)).isEmpty();
    }

    @Test
    void jettyLogsGoThroughTheSameOutput() throws Exception {
        Path file = dir.resolve("tarn.log");
        LogSetup.configure(new TarnConfig.Logging("json", "INFO", file.toString()));
        TarnConfig config = TarnConfig.load(null, Map.of(), Map.of("listen_address", "127.0.0.1:0",
                "database.type", "mem", "blockstore.type", "mem",
                "committed.local_cache.dir", dir.resolve("cache").toString())).config();
        try (TarnServer server = TarnServer.start(config, TarnServerTest.NO_ENGINE,
                new PrintWriter(new StringWriter(), true))) {
            assertThat(server.port()).isPositive();
        }
        ObjectMapper json = new ObjectMapper();
        List<String> loggers = Files.readAllLines(file).stream()
                .map(line -> {
                    try {
                        return json.readTree(line).get("logger").asText();
                    } catch (Exception e) {
                        throw new AssertionError("not a JSON line: " + line, e);
                    }
                }).toList();
        assertThat(loggers).anyMatch(name -> name.startsWith("org.eclipse.jetty"))
                .anyMatch(name -> name.startsWith("io.tarn.server"));
    }

    @Test
    void aFileThatCannotBeOpenedIsAConfigErrorAndKeepsTheOldSetup() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "");
        assertThatThrownBy(() -> LogSetup.configure(new TarnConfig.Logging("text", "INFO",
                blocker.resolve("tarn.log").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot open logging.output");
        assertThat(log.isInfoEnabled()).isTrue();
    }
}
