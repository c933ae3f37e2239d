package io.tarn.cli;

import io.tarn.auth.AuthDirectory;
import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import io.tarn.auth.Group;
import io.tarn.auth.User;
import io.tarn.engine.model.Page;
import io.tarn.kv.KvException;
import io.tarn.server.TarnServer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tarn user ...}: users, their groups and their access keys, on the server's machine without
 * the API (it opens the metadata store itself: with the embedded store, stop the server first; with
 * PostgreSQL, running servers see a change within the auth cache bound, see docs/auth.md).
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = {"Manage users, their groups and access keys in the metadata store (on the server's machine;",
                "with the embedded store, stop the server first)."},
        subcommands = {UserCommand.ListUsers.class, UserCommand.Create.class, UserCommand.Delete.class,
                UserCommand.Join.class, UserCommand.Leave.class, UserCommand.AddKey.class, UserCommand.ListKeys.class,
                UserCommand.DeleteKey.class})
final class UserCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options of every user subcommand, and the store opened for it. */
    abstract static class StoreCommand extends TarnCommand.ConfigOptions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract void run(AuthService auth, PrintWriter out);

        @Override
        public Integer call() throws Exception {
            TarnServer.AuthOnly opened;
            try {
                opened = TarnServer.openAuthOnly(load());
            } catch (KvException e) {
                if (e.getMessage() == null || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("lock")) {
                    throw e;
                }
                throw new IllegalStateException("the metadata store is in use by a running Tarn server: stop the"
                        + " server first (or use the API: /api/v1/auth/...)");
            }
            try (opened) {
                PrintWriter out = spec.commandLine().getOut();
                run(opened.auth(), out);
                out.flush();
            }
            return 0;
        }
    }

    abstract static class OneUser extends StoreCommand {
        @Option(names = "--user-name", required = true, paramLabel = "NAME", description = "the user")
        String userName;
    }

    /** Every item of a listing, page after page. */
    static <T> List<T> all(BiFunction<String, Integer, Page<T>> list, Function<T, String> id) {
        List<T> out = new ArrayList<>();
        String after = "";
        while (true) {
            Page<T> page = list.apply(after, 1000);
            out.addAll(page.items());
            if (!page.hasMore()) {
                return out;
            }
            after = page.nextOffset();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users with their groups.")
    static final class ListUsers extends StoreCommand {
        @Override
        void run(AuthService auth, PrintWriter out) {
            AuthDirectory dir = auth.directory();
            for (User user : all(auth::listUsers, User::id)) {
                List<String> groups = all((a, n) -> dir.listUserGroups(user.id(), a, n), Group::id).stream()
                        .map(Group::id).toList();
                out.println(user.id() + "\t" + String.join(",", groups));
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user, put it in groups, and print a new access key for it once.")
    static final class Create extends OneUser {
        @Option(names = "--group", paramLabel = "GROUP", description = "a group to join (repeatable), e.g. Viewers")
        List<String> groups = new ArrayList<>();

        @Option(names = "--no-key", description = "create no access key")
        boolean noKey;

        @Override
        void run(AuthService auth, PrintWriter out) {
            for (String group : groups) {
                auth.directory().getGroup(group); // fail before creating anything
            }
            auth.directory().createUser(userName, null, null);
            for (String group : groups) {
                auth.directory().addMember(group, userName);
            }
            if (noKey) {
                out.println("created user " + userName);
            } else {
                TarnServer.printCredentials(out, "Created user '" + userName + "'.", auth.createCredentials(userName));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a user with its keys, memberships and policies (never the last admin).")
    static final class Delete extends OneUser {
        @Override
        void run(AuthService auth, PrintWriter out) {
            auth.directory().deleteUser(userName);
            out.println("deleted user " + userName);
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true, description = "Add a user to a group.")
    static final class Join extends OneUser {
        @Option(names = "--group", required = true, paramLabel = "GROUP", description = "the group")
        String group;

        @Override
        void run(AuthService auth, PrintWriter out) {
            auth.directory().addMember(group, userName);
            out.println("user " + userName + " is in group " + group);
        }
    }

    @Command(name = "leave", mixinStandardHelpOptions = true, description = "Remove a user from a group.")
    static final class Leave extends OneUser {
        @Option(names = "--group", required = true, paramLabel = "GROUP", description = "the group")
        String group;

        @Override
        void run(AuthService auth, PrintWriter out) {
            auth.directory().removeMember(group, userName);
            out.println("user " + userName + " left group " + group);
        }
    }

    @Command(name = "add-key", mixinStandardHelpOptions = true, description = "Create an access key for a user; print it once.")
    static final class AddKey extends OneUser {
        @Override
        void run(AuthService auth, PrintWriter out) {
            Credentials credentials = auth.createCredentials(userName);
            TarnServer.printCredentials(out, "A new access key for user '" + userName + "'.", credentials);
        }
    }

    @Command(name = "list-keys", mixinStandardHelpOptions = true, description = "List a user's access key ids.")
    static final class ListKeys extends OneUser {
        @Override
        void run(AuthService auth, PrintWriter out) {
            for (AuthService.AccessKey key : all((a, n) -> auth.listCredentials(userName, a, n),
                    AuthService.AccessKey::accessKeyId)) {
                out.println(key.accessKeyId() + "\t" + java.time.Instant.ofEpochSecond(key.creationDate()));
            }
        }
    }

    @Command(name = "delete-key", mixinStandardHelpOptions = true, description = "Delete an access key of a user.")
    static final class DeleteKey extends OneUser {
        @Option(names = "--access-key-id", required = true, paramLabel = "KEY", description = "the access key id")
        String accessKeyId;

        @Override
        void run(AuthService auth, PrintWriter out) {
            auth.deleteCredentials(userName, accessKeyId);
            out.println("deleted access key " + accessKeyId + " of user " + userName);
        }
    }
}
