package io.tarn.api.common;

import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.auth.AuthService;
import io.tarn.auth.User;
import java.util.LinkedHashMap;
import java.util.Map;

/** getCurrentUser, the same in both JSON APIs: {@code {"user": {"id", "creation_date"}}} of the caller. */
public final class CurrentUser {
    private CurrentUser() {}

    public static void answer(AuthService auth, ApiRequest request, ApiResponse response) {
        String id = request.user().orElseThrow(() -> ApiException.unauthorized("not authenticated"));
        User user = auth.getUser(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id());
        out.put("creation_date", user.creationDate());
        response.json(200, Map.of("user", out));
    }
}
