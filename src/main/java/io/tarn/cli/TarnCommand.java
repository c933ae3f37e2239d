package io.tarn.cli;

import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import io.tarn.config.ConfigException;
import io.tarn.config.TarnConfig;
import io.tarn.error.AlreadyExistsException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.kv.KvException;
import io.tarn.server.LogSetup;
import io.tarn.server.TarnServer;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The {@code tarn} command line: {@code run} the server, {@code setup} the first admin,
 * {@code superuser} for another admin key, {@code user} to manage users, their groups and keys,
 * {@code gc run} to collect a repository's garbage.
 */
@Command(name = "tarn", mixinStandardHelpOptions = true, versionProvider = TarnCommand.Version.class,
        description = "Tarn: Git for data lakes, a lakeFS-compatible data version control server.",
        subcommands = {TarnCommand.Run.class, TarnCommand.Setup.class, TarnCommand.Superuser.class, UserCommand.class,
                TarnCommand.Gc.class, TarnCommand.Train.class},
        footer = {"", "Try it: tarn run --quickstart (creates the admin 'admin' and prints its key once).",
                "", "Settings: --key=value flags (e.g. --listen_address=127.0.0.1:9000, --blockstore.type=s3),",
                "TARN_<KEY> environment variables (e.g. TARN_BLOCKSTORE_TYPE; lakeFS's LAKEFS_<KEY> are",
                "aliases) and a YAML file (--config); flags beat environment beats file beats defaults."})
public final class TarnCommand implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TarnCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (tests run it in-process). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TarnCommand());
        cli.setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (failure instanceof io.tarn.error.NotFoundException) {
                err.println("tarn: " + failure.getMessage());
            } else if (failure instanceof ConfigException || failure instanceof AlreadyExistsException
                    || failure instanceof InvalidArgumentException || failure instanceof IllegalStateException
                    || failure instanceof IllegalArgumentException || failure instanceof BindException
                    || failure instanceof io.tarn.error.NotFoundException) {
                err.println("tarn: " + failure.getMessage());
            } else if (failure instanceof KvException) {
                // The metadata store explains itself (e.g. locked by a running server); details for debugging only.
                err.println("tarn: " + failure.getMessage());
                LOG.debug("metadata store failure", failure);
            } else {
                err.println("tarn: failed: " + failure);
                LOG.error("command failed", failure);
            }
            err.flush();
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every command that reads the configuration has. */
    static class ConfigOptions {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration file")
        Path config;

        @Unmatched
        List<String> settings = new ArrayList<>();

        TarnConfig load() {
            Map<String, String> flags = new LinkedHashMap<>();
            for (String arg : settings) {
                int eq = arg.indexOf('=');
                if (!arg.startsWith("--") || eq < 3) {
                    throw new ConfigException("unexpected argument '" + arg + "': settings are given as --key=value");
                }
                flags.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
            TarnConfig.Loaded loaded = TarnConfig.load(config, System.getenv(), flags);
            LogSetup.configure(loaded.config().logging());
            loaded.warnings().forEach(LOG::warn);
            return loaded.config();
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Start the server (default: 0.0.0.0:8000, metadata and data under ~/tarn).",
                    "A new installation waits to be set up: POST /api/v0/setup_lakefs, 'tarn setup' (while",
                    "stopped), installation.* settings, or --quickstart."})
    static final class Run extends ConfigOptions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--quickstart", description = {"for trying Tarn: on a new installation, create the admin",
                "user 'admin' with a generated key and print the key once"})
        boolean quickstart;

        @Override
        public Integer call() throws Exception {
            TarnConfig config = load();
            PrintWriter out = spec.commandLine().getOut();
            TarnServer server = TarnServer.start(config, TarnServer.DEFAULT_ENGINE, out, quickstart);
            Thread hook = new Thread(server::close, "tarn-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("Tarn is running on http://" + hostForHumans(config.listen().host()) + ":" + server.port()
                    + " (API: /api/v0, document: /swagger.json; instance " + server.instanceId() + ")");
            out.flush();
            server.join();
            return 0;
        }

        private static String hostForHumans(String host) {
            return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        }
    }

    /** The options of the commands that make an admin key: the user, and optionally the key itself. */
    abstract static class AdminKeyOptions extends ConfigOptions {
        @Option(names = "--user-name", required = true, paramLabel = "NAME", description = "the admin's user name")
        String userName;

        @Option(names = "--access-key-id", paramLabel = "KEY", description = "use this access key id (with --secret-access-key)")
        String accessKeyId;

        @Option(names = "--secret-access-key", paramLabel = "SECRET", description = "use this secret access key")
        String secretAccessKey;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The settings, once the key options are checked (both or neither). */
        TarnConfig loadWithKeyPair() {
            if ((accessKeyId == null) != (secretAccessKey == null)) {
                throw new ConfigException("--access-key-id and --secret-access-key go together");
            }
            return load();
        }
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = "Create the first admin user and its access key, and print the key.")
    static final class Setup extends AdminKeyOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            TarnConfig config = loadWithKeyPair();
            try (TarnServer.AuthOnly opened = TarnServer.openAuthOnly(config)) {
                AuthService auth = opened.auth();
                if (auth.isSetUp()) {
                    throw new AlreadyExistsException("Tarn is already set up: the first admin user exists");
                }
                Credentials credentials = accessKeyId == null ? auth.setup(userName)
                        : auth.setup(userName, accessKeyId, secretAccessKey);
                TarnServer.printCredentials(spec.commandLine().getOut(), "Tarn is set up.", credentials);
            }
            return 0;
        }
    }

    @Command(name = "superuser", mixinStandardHelpOptions = true,
            description = {"Give an admin user a new access key and print it once (e.g. when a key was lost):",
                    "creates the user, or adds the key to an existing one. Run it on the server's machine",
                    "with the server stopped (it opens the metadata store itself)."})
    static final class Superuser extends AdminKeyOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            TarnConfig config = loadWithKeyPair();
            TarnServer.AuthOnly opened;
            try {
                opened = TarnServer.openAuthOnly(config);
            } catch (KvException e) {
                if (e.getMessage() == null || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("lock")) {
                    throw e;
                }
                LOG.debug("metadata store failure", e);
                throw new IllegalStateException("the metadata store at " + config.database().localPath()
                        + " is in use by a running Tarn server: stop the server first, then run superuser again");
            }
            try (opened) {
                AuthService auth = opened.auth();
                Credentials credentials = accessKeyId == null ? auth.superuser(userName)
                        : auth.superuser(userName, accessKeyId, secretAccessKey);
                TarnServer.printCredentials(spec.commandLine().getOut(),
                        "A new access key for admin user '" + userName + "'.", credentials);
            }
            return 0;
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true, subcommands = GcRun.class,
            description = "Garbage collection (docs/gc.md).")
    static final class Gc implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Delete the data of a repository that no kept commit, staging area or upload in",
                    "progress refers to and that is older than gc.grace (default 6h); write a report under",
                    "_tarn/gc/ in its storage namespace. With the embedded metadata store run it on the",
                    "server's machine with the server stopped; with PostgreSQL, while servers run."})
    static final class GcRun extends ConfigOptions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--repository", required = true, paramLabel = "REPO", description = "the repository to collect")
        String repository;

        @Option(names = "--dry-run", description = "write the report, delete nothing")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            TarnConfig config = load();
            PrintWriter out = spec.commandLine().getOut();
            TarnServer.EngineOnly opened;
            try {
                opened = TarnServer.openEngine(config);
            } catch (KvException e) {
                if (e.getMessage() == null || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("lock")) {
                    throw e;
                }
                LOG.debug("metadata store failure", e);
                throw new IllegalStateException("the metadata store at " + config.database().localPath()
                        + " is in use by a running Tarn server: stop the server first, then run gc again"
                        + " (or set gc.schedule to let the server collect)");
            }
            try (opened) {
                if (config.gc().grace().compareTo(io.tarn.engine.GcAccess.MIN_SAFE_GRACE) < 0) {
                    out.println("warning: gc.grace " + config.gc().grace() + " is shorter than "
                            + io.tarn.engine.GcAccess.MIN_SAFE_GRACE + ": uploads in progress on running servers"
                            + " may be collected");
                }
                io.tarn.gc.GarbageCollector gc = new io.tarn.gc.GarbageCollector(opened.engine().gcAccess(),
                        opened.workDir().resolve("gc"));
                io.tarn.gc.GcReport report = gc.run(repository,
                        io.tarn.gc.GcOptions.defaults().withGrace(config.gc().grace()).withDryRun(dryRun));
                out.println(report.summary());
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "train", hidden = true,
            description = {"The training run of the JVM's start-up cache (scripts/startup-cache.sh): a server on",
                    "throw-away folders and a free loopback port, one request of each common kind, then stop."})
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TrainingRun.run(spec.commandLine().getOut());
            return 0;
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TarnCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tarn " + (version == null ? "(development build)" : version)};
        }
    }
}
