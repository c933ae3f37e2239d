package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenAPI 3 documents: base path from servers[0].url, effective security per operation. */
class ApiDocumentTest {

    private static ApiDocument parse(String json) throws Exception {
        return ApiDocument.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Boolean> auth(ApiDocument document) {
        Map<String, Boolean> out = new HashMap<>();
        document.operations().forEach(op -> out.put(op.operationId(), op.authenticated()));
        return out;
    }

    @Test
    void openApi3BasePathAndSecurity() throws Exception {
        ApiDocument document = parse("{'openapi':'3.0.3','servers':[{'url':'/api/v1'}],'security':[{'basic_auth':[]}],"
                + "'paths':{'/healthcheck':{'get':{'operationId':'healthCheck','security':[]}},"
                + "'/repositories':{'parameters':[],'summary':'x','get':{'operationId':'listRepositories'},"
                + "'post':{'operationId':'createRepository','security':[{}]}},"
                + "'/objects':{'head':{'operationId':'headObject'},'trace':{'operationId':'traceObject'}}}}");
        assertThat(document.basePath()).isEqualTo("/api/v1");
        assertThat(auth(document)).isEqualTo(Map.of("healthCheck", false, "listRepositories", true,
                "createRepository", false, "headObject", true, "traceObject", true));
    }

    @Test
    void serverUrlsWithHostsOrNone() throws Exception {
        assertThat(parse("{'openapi':'3.0.0','servers':[{'url':'https://lakefs.example/api/v1/'}],'paths':{}}").basePath())
                .isEqualTo("/api/v1");
        assertThat(parse("{'openapi':'3.0.0','servers':[{'url':'https://lakefs.example'}],'paths':{}}").basePath())
                .isEqualTo("");
        assertThat(parse("{'openapi':'3.1.0','paths':{}}").basePath()).isEqualTo("");
        assertThatThrownBy(() -> parse("{'openapi':'3.0.0','servers':[{'url':'/{v}'}],'paths':{}}"))
                .hasMessageContaining("variables");
        assertThatThrownBy(() -> parse("{'openapi':'2.0','paths':{}}")).hasMessageContaining("OpenAPI version");
    }

    @Test
    void noSecurityAnywhereMeansAuthenticated() throws Exception {
        ApiDocument document = parse("{'openapi':'3.0.0','paths':{'/a':{'get':{'operationId':'a'}}}}");
        assertThat(auth(document)).isEqualTo(Map.of("a", true));
    }
}
