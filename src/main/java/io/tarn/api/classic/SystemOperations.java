package io.tarn.api.classic;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tarn.api.common.CurrentUser;
import io.tarn.api.http.Operations;
import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import java.util.LinkedHashMap;
import java.util.Map;

/** setupLakeFS, getCurrentUser and healthCheck of the classic API. */
public final class SystemOperations {
    private SystemOperations() {}

    /** The body of setupLakeFS. */
    record SetupBody(@JsonProperty("username") String username) {}

    public static Operations operations(AuthService auth) {
        return new Operations()
                .add("setupLakeFS", (request, response) -> {
                    SetupBody body = request.jsonBody(SetupBody.class);
                    Credentials credentials = auth.setup(body.username());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("access_key_id", credentials.accessKeyId());
                    out.put("access_secret_key", credentials.secretAccessKey());
                    out.put("creation_date", credentials.creationDate());
                    response.json(200, out);
                })
                .add("getCurrentUser", (request, response) -> CurrentUser.answer(auth, request, response))
                .add("healthCheck", (request, response) -> response.empty(204));
    }
}
