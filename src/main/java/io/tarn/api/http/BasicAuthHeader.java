package io.tarn.api.http;

import io.tarn.auth.PresentedCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/** Reads HTTP basic credentials from the {@code Authorization} header. */
public final class BasicAuthHeader {
    private BasicAuthHeader() {}

    /**
     * The credentials of the request, or empty when it has no {@code Authorization} header.
     *
     * @throws ApiException 401 if the header is there but not well-formed basic credentials
     */
    public static Optional<PresentedCredentials> read(Exchange exchange) {
        String header = exchange.header(HttpHeader.AUTHORIZATION.asString());
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
            throw ApiException.unauthorized("malformed Authorization header: expected Basic credentials");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(space + 1).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("malformed Authorization header: credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw ApiException.unauthorized("malformed Authorization header: expected access-key-id:secret");
        }
        return Optional.of(new PresentedCredentials.Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
}
