package io.tarn.api.classic;

import io.tarn.api.classic.wire.Wire;
import io.tarn.api.common.AuthHandlers;
import io.tarn.api.http.Operations;
import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import io.tarn.auth.Group;
import io.tarn.auth.User;
import io.tarn.engine.model.Page;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The 27 auth operations of the 2020 API with their 2020 shapes: {@code user} and {@code group} are
 * {@code {id, creation_date}}, {@code credentials_with_secret} names its secret {@code access_secret_key}.
 */
final class AuthOperations {
    private AuthOperations() {}

    static final AuthHandlers.Shapes SHAPES = new AuthHandlers.Shapes() {
        @Override
        public Map<String, Object> user(User user) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", user.id());
            out.put("creation_date", user.creationDate());
            return out;
        }

        @Override
        public Map<String, Object> group(Group group) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", group.id());
            out.put("creation_date", group.creationDate());
            return out;
        }

        @Override
        public Map<String, Object> credentialsWithSecret(Credentials credentials) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("access_key_id", credentials.accessKeyId());
            out.put("access_secret_key", credentials.secretAccessKey());
            out.put("creation_date", credentials.creationDate());
            return out;
        }

        @Override
        public <T> Object page(Page<T> page, Function<T, Map<String, Object>> item) {
            return Wire.page(page, item);
        }

        @Override
        public boolean prefixes() {
            return false;
        }
    };

    static Operations operations(AuthService auth) {
        return AuthHandlers.operations(auth, SHAPES);
    }
}
