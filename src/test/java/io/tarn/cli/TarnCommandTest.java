package io.tarn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.config.TarnConfig;
import io.tarn.server.TarnServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TarnCommandTest {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one in-process run. */
    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cli = TarnCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private String[] withStore(String... args) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--database.local.path=" + dir.resolve("metadata");
        return all;
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("run").contains("setup").contains("TARN_<KEY>");
        Result runHelp = run("run", "--help");
        assertThat(runHelp.code()).isZero();
        assertThat(runHelp.out()).contains("--config");
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("tarn ");
    }

    @Test
    void setupPrintsTheKeyOnceThenRefuses() throws Exception {
        Result first = run(withStore("setup", "--user-name", "admin"));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).containsPattern("access_key_id: +AKIAJ[A-Z2-7]{14}Q")
                .containsPattern("secret_access_key: +\\S{40}");
        Result second = run(withStore("setup", "--user-name", "admin"));
        assertThat(second.code()).isEqualTo(1);
        assertThat(second.err()).contains("tarn: Tarn is already set up");
    }

    @Test
    void setupWhileAServerHoldsTheStoreIsAPlainMessage() throws Exception {
        // The usual mistake: `tarn setup` beside a running `tarn run` on the same folder.
        TarnConfig config = TarnConfig.load(null, Map.of(),
                Map.of("database.local.path", dir.resolve("metadata").toString())).config();
        try (TarnServer.AuthOnly running = TarnServer.openAuthOnly(config)) {
            Result result = run(withStore("setup", "--user-name", "admin"));
            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).startsWith("tarn: cannot open the metadata store")
                    .contains("another Tarn server").doesNotContain("Exception");
        }
    }

    @Test
    void setupWithGivenKeys() throws Exception {
        Result result = run(withStore("setup", "--user-name", "ops", "--access-key-id", "AKIAIOSFODNN7EXAMPLE",
                "--secret-access-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("AKIAIOSFODNN7EXAMPLE");
        TarnConfig config = TarnConfig.load(null, Map.of(),
                Map.of("database.local.path", dir.resolve("metadata").toString())).config();
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(config)) {
            assertThat(opened.auth().authenticate("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                    .contains("ops");
        }
        Result half = run(withStore("setup", "--user-name", "x", "--access-key-id", "AKIAIOSFODNN7EXAMPLE"));
        assertThat(half.code()).isEqualTo(1);
        assertThat(half.err()).contains("go together");
    }

    @Test
    void badSettingsAreClearErrors() {
        Result unknown = run("run", "--listen_adress=127.0.0.1:0");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown setting 'listen_adress' on the command line");
        Result positional = run("run", "stray");
        assertThat(positional.code()).isEqualTo(1);
        assertThat(positional.err()).contains("settings are given as --key=value");
        Result badValue = run("setup", "--user-name", "a", "--database.type=postgres");
        assertThat(badValue.code()).isEqualTo(1);
        assertThat(badValue.err()).contains("database.type must be one of");
        Result missingName = run("setup");
        assertThat(missingName.code()).isEqualTo(2);
        assertThat(missingName.err()).contains("--user-name");
    }
}
