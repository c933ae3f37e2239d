package io.tarn.api.current;

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
 * The auth operations of the current API with lakeFS's current shapes: {@code User} with
 * {@code friendly_name} and {@code email}, {@code Group} with {@code name} and {@code description},
 * {@code CredentialsWithSecret} naming its secret {@code secret_access_key}; listings take {@code prefix}.
 */
final class AuthOperations {
    private AuthOperations() {}

    static final AuthHandlers.Shapes SHAPES = new AuthHandlers.Shapes() {
        @Override
        public Map<String, Object> user(User user) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", user.id());
            out.put("creation_date", user.creationDate());
            if (user.friendlyName() != null) {
                out.put("friendly_name", user.friendlyName());
            }
            if (user.email() != null) {
                out.put("email", user.email());
            }
            return out;
        }

        @Override
        public Map<String, Object> group(Group group) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", group.id());
            out.put("name", group.id());
            if (group.description() != null) {
                out.put("description", group.description());
            }
            out.put("creation_date", group.creationDate());
            return out;
        }

        @Override
        public Map<String, Object> credentialsWithSecret(Credentials credentials) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("access_key_id", credentials.accessKeyId());
            out.put("secret_access_key", credentials.secretAccessKey());
            out.put("creation_date", credentials.creationDate());
            return out;
        }

        @Override
        public <T> Object page(Page<T> page, Function<T, Map<String, Object>> item) {
            return CurrentWire.page(page, item);
        }

        @Override
        public boolean prefixes() {
            return true;
        }
    };

    static Operations operations(AuthService auth) {
        return AuthHandlers.operations(auth, SHAPES);
    }
}
