package io.tarn.api.current;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakefs.clients.sdk.ApiClient;
import io.lakefs.clients.sdk.ApiException;
import io.lakefs.clients.sdk.AuthApi;
import io.lakefs.clients.sdk.BranchesApi;
import io.lakefs.clients.sdk.CommitsApi;
import io.lakefs.clients.sdk.ConfigApi;
import io.lakefs.clients.sdk.ExperimentalApi;
import io.lakefs.clients.sdk.ImportApi;
import io.lakefs.clients.sdk.ObjectsApi;
import io.lakefs.clients.sdk.RefsApi;
import io.lakefs.clients.sdk.RepositoriesApi;
import io.lakefs.clients.sdk.TagsApi;
import io.lakefs.clients.sdk.model.BranchCreation;
import io.lakefs.clients.sdk.model.CherryPickCreation;
import io.lakefs.clients.sdk.model.Commit;
import io.lakefs.clients.sdk.model.CommitCreation;
import io.lakefs.clients.sdk.model.Diff;
import io.lakefs.clients.sdk.model.DiffList;
import io.lakefs.clients.sdk.model.ImportCreation;
import io.lakefs.clients.sdk.model.ImportLocation;
import io.lakefs.clients.sdk.model.ImportStatus;
import io.lakefs.clients.sdk.model.LoginInformation;
import io.lakefs.clients.sdk.model.Merge;
import io.lakefs.clients.sdk.model.ObjectStats;
import io.lakefs.clients.sdk.model.ObjectStatsList;
import io.lakefs.clients.sdk.model.Repository;
import io.lakefs.clients.sdk.model.RepositoryCreation;
import io.lakefs.clients.sdk.model.TagCreation;
import io.tarn.api.http.HttpServer;
import io.tarn.api.http.Mount;
import io.tarn.api.http.RequestObserver;
import io.tarn.auth.AuthService;
import io.tarn.auth.AuthenticatorChain;
import io.tarn.auth.BasicAuthenticator;
import io.tarn.auth.LoginTokens;
import io.tarn.auth.SecretBox;
import io.tarn.auth.TokenAuthenticator;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The current API through lakeFS's generated Java client, {@code io.lakefs:sdk} 1.53.1, at its defaults:
 * it validates every answer against its models, so this also checks the shapes.
 */
class CurrentApiJavaSdkTest {
    private static final String KEY = "AKIAJJAVASDKTESTKEY1Q";
    private static final String SECRET = "java-sdk-test-secret-0123456789";

    @TempDir
    static Path temp;
    private static TarnEngine engine;
    private static MemoryBlockStore blocks;
    private static HttpServer server;
    private static String basePath;

    @BeforeAll
    static void start() throws Exception {
        blocks = new MemoryBlockStore();
        engine = new TarnEngine(new MemoryKvStore(), blocks, EngineConfig.defaults(temp.resolve("cache")));
        AuthService auth = new AuthService(new MemoryKvStore(), new SecretBox("java-sdk-test-key"));
        auth.install("java-tester", KEY, SECRET);
        LoginTokens tokens = LoginTokens.of(auth, Duration.ofHours(1));
        server = HttpServer.start(HttpServer.Settings.of("127.0.0.1", 0), List.of(new Mount(CurrentSurface.paths(),
                CurrentSurface.create(engine, auth, tokens, new CurrentSurface.ServerInfo("dev", "mem"),
                        AuthenticatorChain.of(new BasicAuthenticator(auth), new TokenAuthenticator(tokens, auth))))),
                RequestObserver.NONE);
        basePath = "http://127.0.0.1:" + server.port() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    private static ApiClient client(String user, String password) {
        ApiClient client = new ApiClient();
        client.setBasePath(basePath);
        client.setUsername(user);
        client.setPassword(password);
        return client;
    }

    private static File file(String name, String content) throws Exception {
        Path path = temp.resolve(name);
        Files.writeString(path, content);
        return path.toFile();
    }

    @Test
    void createUploadCommitMergeListDiff() throws Exception {
        ApiClient client = client(KEY, SECRET);
        RepositoriesApi repositories = new RepositoriesApi(client);
        BranchesApi branches = new BranchesApi(client);
        ObjectsApi objects = new ObjectsApi(client);
        CommitsApi commits = new CommitsApi(client);
        RefsApi refs = new RefsApi(client);

        Repository repo = repositories.createRepository(new RepositoryCreation().name("java-sdk-repo")
                .storageNamespace("mem://java-sdk-repo")).execute();
        assertThat(repo.getDefaultBranch()).isEqualTo("main");
        assertThat(repositories.listRepositories().execute().getResults()).extracting(Repository::getId)
                .contains("java-sdk-repo");

        String branchCommit = branches.createBranch("java-sdk-repo", new BranchCreation().name("dev").source("main"))
                .execute();
        assertThat(branchCommit).hasSize(64);
        ObjectStats stats = objects.uploadObject("java-sdk-repo", "dev", "data/hello.txt")
                .content(file("hello.txt", "hello from java")).execute();
        assertThat(stats.getSizeBytes()).isEqualTo(15L);
        assertThat(objects.statObject("java-sdk-repo", "dev", "data/hello.txt").execute().getChecksum())
                .isEqualTo(stats.getChecksum());
        File part = objects.getObject("java-sdk-repo", "dev", "data/hello.txt").range("bytes=6-9").execute();
        assertThat(Files.readString(part.toPath(), StandardCharsets.UTF_8)).isEqualTo("from");

        Commit commit = commits.commit("java-sdk-repo", "dev", new CommitCreation().message("from java")).execute();
        assertThat(commit.getMessage()).isEqualTo("from java");
        DiffList diff = refs.diffRefs("java-sdk-repo", "main", "dev").execute();
        assertThat(diff.getResults()).extracting(Diff::getPath).containsExactly("data/hello.txt");
        assertThat(diff.getResults().getFirst().getType().getValue()).isEqualTo("added");
        String merged = refs.mergeIntoBranch("java-sdk-repo", "dev", "main").merge(new Merge().message("merge"))
                .execute().getReference();
        assertThat(branches.getBranch("java-sdk-repo", "main").execute().getCommitId()).isEqualTo(merged);
        ObjectStatsList listed = objects.listObjects("java-sdk-repo", "main").delimiter("/").execute();
        assertThat(listed.getResults()).extracting(ObjectStats::getPath).containsExactly("data/");
        assertThat(listed.getPagination().getNextOffset()).isEmpty();
        assertThat(refs.logCommits("java-sdk-repo", "main").execute().getResults().getFirst().getId()).isEqualTo(merged);
        assertThat(new TagsApi(client).createTag("java-sdk-repo", new TagCreation().id("v1").ref("main")).execute()
                .getCommitId()).isEqualTo(merged);
        assertThat(new ConfigApi(client).getConfig().execute().getStorageConfig().getPreSignSupport()).isFalse();
    }

    @Test
    void errorsAndLoginTokens() throws Exception {
        ApiClient client = client(KEY, SECRET);
        assertThatThrownBy(() -> new RepositoriesApi(client).getRepository("no-such-repo").execute())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getResponseBody()).contains("\"message\"");
                });
        assertThatThrownBy(() -> new RepositoriesApi(client(KEY, "wrong-secret-value")).listRepositories().execute())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(401));
        new RepositoriesApi(client).createRepository(new RepositoryCreation().name("java-sdk-errors")
                .storageNamespace("mem://java-sdk-errors")).execute();
        assertThatThrownBy(() -> new BranchesApi(client).createBranch("java-sdk-errors",
                new BranchCreation().name("main").source("main")).execute())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThatThrownBy(() -> new BranchesApi(client).createBranch("java-sdk-errors",
                new BranchCreation().name("bad name").source("main")).execute())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));

        String token = new AuthApi(client).login().loginInformation(new LoginInformation().accessKeyId(KEY)
                .secretAccessKey(SECRET)).execute().getToken();
        ApiClient withToken = new ApiClient();
        withToken.setBasePath(basePath);
        withToken.setBearerToken(token);
        assertThat(new AuthApi(withToken).getCurrentUser().execute().getUser().getId()).isEqualTo("java-tester");
    }

    @Test
    void cherryPickHardResetFilteredLogAndImport() throws Exception {
        ApiClient client = client(KEY, SECRET);
        String repo = "java-sdk-history";
        new RepositoriesApi(client).createRepository(new RepositoryCreation().name(repo)
                .storageNamespace("mem://java-sdk-history")).execute();
        BranchesApi branches = new BranchesApi(client);
        ObjectsApi objects = new ObjectsApi(client);
        CommitsApi commits = new CommitsApi(client);
        branches.createBranch(repo, new BranchCreation().name("feature").source("main")).execute();
        objects.uploadObject(repo, "feature", "picked.txt").content(file("picked.txt", "picked")).execute();
        Commit picked = commits.commit(repo, "feature", new CommitCreation().message("pick me").date(1_600_000_000L))
                .execute();
        assertThat(picked.getCreationDate()).isEqualTo(1_600_000_000L);

        Commit created = branches.cherryPick(repo, "main", new CherryPickCreation().ref(picked.getId())).execute();
        assertThat(created.getMessage()).isEqualTo("pick me");
        assertThat(objects.statObject(repo, "main", "picked.txt").execute().getSizeBytes()).isEqualTo(6L);
        assertThatThrownBy(() -> branches.cherryPick(repo, "main", new CherryPickCreation().ref("no-such-ref")).execute())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        assertThat(new RefsApi(client).logCommits(repo, "main").objects(List.of("picked.txt")).execute().getResults())
                .extracting(Commit::getId).containsExactly(created.getId());

        new ExperimentalApi(client).hardResetBranch(repo, "main", "main~1").execute();
        assertThat(branches.getBranch(repo, "main").execute().getCommitId()).isEqualTo(created.getParents().getFirst());

        byte[] data = "imported".getBytes(StandardCharsets.UTF_8);
        blocks.put(blocks.namespace("mem://java-sdk-external"), "in/a.txt", new java.io.ByteArrayInputStream(data),
                data.length);
        ImportApi imports = new ImportApi(client);
        String id = imports.importStart(repo, "main", new ImportCreation()
                .addPathsItem(new ImportLocation().type(ImportLocation.TypeEnum.COMMON_PREFIX)
                        .path("mem://java-sdk-external/in/").destination("imported/"))
                .commit(new CommitCreation().message("import"))).execute().getId();
        ImportStatus status = imports.importStatus(repo, "main", id).execute();
        for (int i = 0; i < 200 && !status.getCompleted() && status.getError() == null; i++) {
            Thread.sleep(50);
            status = imports.importStatus(repo, "main", id).execute();
        }
        assertThat(status.getCompleted()).isTrue();
        assertThat(status.getIngestedObjects()).isEqualTo(1L);
        assertThat(objects.statObject(repo, "main", "imported/a.txt").execute().getPhysicalAddress())
                .isEqualTo("mem://java-sdk-external/in/a.txt");
    }
}
