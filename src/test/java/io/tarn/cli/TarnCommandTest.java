package io.tarn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.config.TarnConfig;
import io.tarn.server.TarnServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void trainingRunServesOneRequestOfEachKindAndLeavesNoFolder() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before;
        try (var listed = java.nio.file.Files.list(tmp)) {
            before = listed.filter(p -> p.getFileName().toString().startsWith("tarn-training-")).toList();
        }
        Result train = run("train");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("tarn: training run done");
        try (var listed = java.nio.file.Files.list(tmp)) {
            assertThat(listed.filter(p -> p.getFileName().toString().startsWith("tarn-training-")).toList())
                    .containsExactlyInAnyOrderElementsOf(before);
        }
        assertThat(run("--help").out()).doesNotContain("train"); // a hidden command of the launcher's
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("run").contains("setup").contains("superuser").contains("TARN_<KEY>")
                .contains("LAKEFS_<KEY>").contains("--quickstart");
        Result runHelp = run("run", "--help");
        assertThat(runHelp.code()).isZero();
        assertThat(runHelp.out()).contains("--config").contains("--quickstart").contains("setup_lakefs");
        Result superuserHelp = run("superuser", "--help");
        assertThat(superuserHelp.code()).isZero();
        assertThat(superuserHelp.out()).contains("--user-name").contains("--access-key-id").contains("stopped");
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
        Result badValue = run("setup", "--user-name", "a", "--database.type=dynamodb");
        assertThat(badValue.code()).isEqualTo(1);
        assertThat(badValue.err()).contains("database.type must be one of");
        Result missingName = run("setup");
        assertThat(missingName.code()).isEqualTo(2);
        assertThat(missingName.err()).contains("--user-name");
    }

    private TarnConfig storeConfig() {
        return TarnConfig.load(null, Map.of(), Map.of("database.local.path", dir.resolve("metadata").toString())).config();
    }

    private static String[] keyOf(String printed) {
        Matcher ak = Pattern.compile("access_key_id: +(\\S+)").matcher(printed);
        Matcher sk = Pattern.compile("secret_access_key: +(\\S+)").matcher(printed);
        assertThat(ak.find()).as(printed).isTrue();
        assertThat(sk.find()).as(printed).isTrue();
        return new String[] {ak.group(1), sk.group(1)};
    }

    @Test
    void superuserReplacesALostKeyAndAddsAdmins() throws Exception {
        String[] lost = keyOf(run(withStore("setup", "--user-name", "admin")).out());
        Result again = run(withStore("superuser", "--user-name", "admin"));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("user:              admin").containsPattern("access_key_id: +AKIAJ[A-Z2-7]{14}Q");
        String[] fresh = keyOf(again.out());
        Result other = run(withStore("superuser", "--user-name", "ops", "--access-key-id", "AKIAIOSFODNN7EXAMPLE",
                "--secret-access-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assertThat(other.code()).as(other.err()).isZero();
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(storeConfig())) {
            assertThat(opened.auth().authenticate(lost[0], lost[1])).contains("admin");
            assertThat(opened.auth().authenticate(fresh[0], fresh[1])).contains("admin");
            assertThat(opened.auth().authenticate("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                    .contains("ops");
            assertThat(opened.auth().getUser("ops").id()).isEqualTo("ops");
            assertThat(opened.auth().directory().listUserGroups("ops", "", 100).items())
                    .extracting(io.tarn.auth.Group::id).containsExactly("Admins");
        }
        Result taken = run(withStore("superuser", "--user-name", "x", "--access-key-id", "AKIAIOSFODNN7EXAMPLE",
                "--secret-access-key", "another-secret-of-enough-length-0000000"));
        assertThat(taken.code()).isEqualTo(1);
        assertThat(taken.err()).isEqualTo("tarn: access key id AKIAIOSFODNN7EXAMPLE exists already\n");
        Result half = run(withStore("superuser", "--user-name", "x", "--access-key-id", "AKIAIOSFODNN7EXAMPLE"));
        assertThat(half.code()).isEqualTo(1);
        assertThat(half.err()).contains("go together");
    }

    @Test
    void userManagesUsersGroupsAndKeys() throws Exception {
        run(withStore("setup", "--user-name", "admin"));
        Result created = run(withStore("user", "create", "--user-name", "reader", "--group", "Viewers"));
        assertThat(created.code()).as(created.err()).isZero();
        String[] key = keyOf(created.out());
        assertThat(key[0]).hasSize(20);
        assertThat(key[1]).hasSize(40);
        Result listed = run(withStore("user", "list"));
        assertThat(listed.out()).contains("admin\tAdmins\n").contains("reader\tViewers\n");
        Result keys = run(withStore("user", "list-keys", "--user-name", "reader"));
        assertThat(keys.out()).startsWith(key[0] + "\t");
        assertThat(run(withStore("user", "join", "--user-name", "reader", "--group", "Developers")).code()).isZero();
        assertThat(run(withStore("user", "leave", "--user-name", "reader", "--group", "Viewers")).code()).isZero();
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(storeConfig())) {
            assertThat(opened.auth().authenticate(key[0], key[1])).contains("reader");
            assertThat(opened.auth().directory().listUserGroups("reader", "", 100).items())
                    .extracting(io.tarn.auth.Group::id).containsExactly("Developers");
        }
        Result deletedKey = run(withStore("user", "delete-key", "--user-name", "reader", "--access-key-id", key[0]));
        assertThat(deletedKey.code()).as(deletedKey.err()).isZero();
        Result unknown = run(withStore("user", "add-key", "--user-name", "ghost"));
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("tarn: user not found: ghost\n");
        Result badGroup = run(withStore("user", "create", "--user-name", "x", "--group", "Nope"));
        assertThat(badGroup.err()).isEqualTo("tarn: group not found: Nope\n");
        Result lastAdmin = run(withStore("user", "delete", "--user-name", "admin"));
        assertThat(lastAdmin.code()).isEqualTo(1);
        assertThat(lastAdmin.err()).contains("no admin");
        assertThat(run(withStore("user", "delete", "--user-name", "reader")).code()).isZero();
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(storeConfig())) {
            assertThat(opened.auth().userExists("reader")).isFalse();
            assertThat(opened.auth().userExists("x")).isFalse();
        }
    }

    @Test
    void superuserOnANewStoreSetsItUp() throws Exception {
        Result result = run(withStore("superuser", "--user-name", "root"));
        assertThat(result.code()).as(result.err()).isZero();
        String[] key = keyOf(result.out());
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(storeConfig())) {
            assertThat(opened.auth().isSetUp()).isTrue();
            assertThat(opened.auth().authenticate(key[0], key[1])).contains("root");
        }
    }

    @Test
    void superuserWhileAServerHoldsTheStoreSaysToStopIt() throws Exception {
        try (TarnServer.AuthOnly running = TarnServer.openAuthOnly(storeConfig())) {
            Result result = run(withStore("superuser", "--user-name", "admin"));
            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).startsWith("tarn: the metadata store at " + dir.resolve("metadata"))
                    .contains("stop the server first").doesNotContain("Exception");
            assertThat(result.err().strip().lines()).hasSize(1);
            assertThat(result.out()).doesNotContain("access_key");
        }
    }

    @Test
    void runOnAnAddressInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result result = run(withStore("run", "--quickstart", "--listen_address=127.0.0.1:" + taken.getLocalPort(),
                    "--blockstore.local.path=" + dir.resolve("data"),
                    "--committed.local_cache.dir=" + dir.resolve("cache")));
            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("tarn: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use\n");
            assertThat(result.out()).doesNotContain("access_key");
        }
        try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(storeConfig())) {
            assertThat(opened.auth().isSetUp()).isFalse();
        }
    }

    private String[] gcArgs(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--database.local.path=" + dir.resolve("metadata"));
        all.add("--blockstore.local.path=" + dir.resolve("data"));
        all.add("--gc.grace=1ms");
        return all.toArray(String[]::new);
    }

    @Test
    void gcRunDeletesOverwrittenDataAndDryRunDeletesNothing() throws Exception {
        TarnConfig config = TarnConfig.load(null, Map.of(), Map.of("database.local.path", dir.resolve("metadata").toString(),
                "blockstore.local.path", dir.resolve("data").toString())).config();
        String first;
        try (TarnServer.EngineOnly opened = TarnServer.openEngine(config)) {
            var engine = opened.engine();
            engine.createRepository("cli-gc", "local://cli-gc", "main");
            byte[] a = {1, 2, 3};
            first = engine.putObject("cli-gc", "main", "x", new java.io.ByteArrayInputStream(a), 3, null, Map.of())
                    .physicalAddress();
            engine.putObject("cli-gc", "main", "x", new java.io.ByteArrayInputStream(a), 3, null, Map.of());
        }
        Thread.sleep(20);
        Result dry = run(gcArgs("gc", "run", "--repository", "cli-gc", "--dry-run"));
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("(dry run)").contains("would delete 1 objects (3 bytes)")
                .contains("shorter than").contains("_tarn/gc/");
        assertThat(dir.resolve("data/cli-gc").resolve(first)).exists();
        Result real = run(gcArgs("gc", "run", "--repository", "cli-gc"));
        assertThat(real.code()).as(real.err()).isZero();
        assertThat(real.out()).contains("deleted 1 objects (3 bytes)");
        assertThat(dir.resolve("data/cli-gc").resolve(first)).doesNotExist();
        try (TarnServer.EngineOnly opened = TarnServer.openEngine(config)) {
            var e = opened.engine().statObject("cli-gc", "main", "x");
            try (var in = opened.engine().readObject("cli-gc", e, null)) {
                assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void gcRunErrorsAreOneLine() throws Exception {
        Result unknown = run(gcArgs("gc", "run", "--repository", "no-such-repo"));
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("tarn: repository not found: no-such-repo\n");
        Result missing = run(gcArgs("gc", "run"));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--repository");
        try (TarnServer.AuthOnly running = TarnServer.openAuthOnly(storeConfig())) {
            Result busy = run(gcArgs("gc", "run", "--repository", "x"));
            assertThat(busy.code()).isEqualTo(1);
            assertThat(busy.err()).contains("stop the server first").doesNotContain("Exception");
        }
    }
}
