package io.tarn.api.current;

import io.tarn.api.common.CurrentUser;
import io.tarn.api.common.JsonBody;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import io.tarn.auth.LoginTokens;
import io.tarn.error.UnauthenticatedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Setup, login, the current user, the server's configuration and the health check. */
final class SetupOperations {
    private final AuthService auth;
    private final LoginTokens tokens;
    private final CurrentSurface.ServerInfo server;

    SetupOperations(AuthService auth, LoginTokens tokens, CurrentSurface.ServerInfo server) {
        this.auth = auth;
        this.tokens = tokens;
        this.server = server;
    }

    Operations operations() {
        return new Operations()
                .add("getSetupState", this::setupState)
                .add("setup", this::setup)
                .add("login", this::login)
                .add("getCurrentUser", (request, response) -> CurrentUser.answer(auth, request, response))
                .add("getConfig", this::config)
                .add("getLakeFSVersion", (request, response) -> response.json(200, versionConfig()))
                .add("getStorageConfig", (request, response) ->
                        response.json(200, storageConfig(server.blockstoreType())))
                .add("healthCheck", (request, response) -> response.empty(204));
    }

    private void setupState(ApiRequest request, ApiResponse response) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", auth.isSetUp() ? "initialized" : "not_initialized");
        out.put("comm_prefs_missing", false);
        response.json(200, out);
    }

    private void setup(ApiRequest request, ApiResponse response) {
        JsonBody body = JsonBody.required(request, "Setup");
        String username = body.requiredString("username");
        JsonBody key = body.optionalObject("key");
        Credentials credentials = key == null ? auth.setup(username)
                : auth.setup(username, key.requiredString("access_key_id"), key.requiredString("secret_access_key"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_key_id", credentials.accessKeyId());
        out.put("secret_access_key", credentials.secretAccessKey());
        out.put("creation_date", credentials.creationDate());
        response.json(200, out);
    }

    private void login(ApiRequest request, ApiResponse response) {
        JsonBody body = JsonBody.required(request, "LoginInformation");
        String accessKeyId = body.requiredString("access_key_id");
        String secret = body.requiredString("secret_access_key");
        if (!auth.isSetUp()) {
            throw new UnauthenticatedException("Tarn is not set up yet: create the first admin user with"
                    + " POST " + CurrentSurface.BASE_PATH + "/setup_lakefs first");
        }
        Optional<String> user = auth.authenticate(accessKeyId, secret);
        if (user.isEmpty()) {
            throw ApiException.unauthorized("error authenticating request: wrong access key or secret");
        }
        LoginTokens.Token token = tokens.issue(user.get());
        response.header("Set-Cookie", CurrentSurface.SESSION_COOKIE + "=" + token.jwt() + "; Path=/; Max-Age="
                + tokens.lifetime().toSeconds() + "; HttpOnly; SameSite=Lax");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", token.jwt());
        out.put("token_expiration", token.expiresAt());
        response.json(200, out);
    }

    private Map<String, Object> versionConfig() {
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("version", CurrentSurface.LAKEFS_VERSION);
        version.put("version_context", "tarn " + server.version());
        version.put("upgrade_recommended", false);
        return version;
    }

    private void config(ApiRequest request, ApiResponse response) {
        Map<String, Object> version = versionConfig();
        Map<String, Object> storage = storageConfig(server.blockstoreType());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version_config", version);
        out.put("storage_config", storage);
        out.put("storage_config_list", List.of(storage));
        response.json(200, out);
    }

    /** What clients read to decide how to transfer data: presigned URLs on S3 only; import. */
    static Map<String, Object> storageConfig(String blockstoreType) {
        String example = switch (blockstoreType) {
            case "s3" -> "s3://example-bucket/";
            case "mem" -> "mem://example";
            default -> "local://example-repository";
        };
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("blockstore_type", blockstoreType);
        storage.put("blockstore_namespace_example", example);
        storage.put("blockstore_namespace_ValidityRegex", "^" + blockstoreType + "://");
        // presigned URLs where the block store makes them (S3): the SDKs then transfer data directly
        boolean presign = blockstoreType.equals("s3");
        storage.put("pre_sign_support", presign);
        storage.put("pre_sign_support_ui", presign);
        storage.put("import_support", true);
        storage.put("import_validity_regex", "^" + blockstoreType + "://");
        // presigned multipart uploads (/staging/pmpu) where the block store presigns parts: S3 too
        storage.put("pre_sign_multipart_upload", presign);
        return storage;
    }
}
