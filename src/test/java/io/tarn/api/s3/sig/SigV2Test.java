package io.tarn.api.s3.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.api.s3.S3Error;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SigV2 against the examples of AWS's "Signing and Authenticating REST Requests" (bucket johnsmith). */
class SigV2Test {
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    static SignedRequest virtualHost(String method, String rawPath, String rawQuery, String... headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.computeIfAbsent(headers[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(headers[i + 1]);
        }
        return new SignedRequest(method, rawPath, rawQuery, map, "johnsmith");
    }

    private static boolean verifies(SignedRequest r, String date) {
        SigV2.Auth auth = SigV2.parseHeader(r.header("authorization"), r,
                java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return new SigV2.Check(r, auth).verify(SECRET);
    }

    @Test
    void objectGet() {
        String date = "Tue, 27 Mar 2007 19:36:42 +0000";
        SignedRequest r = virtualHost("GET", "/photos/puppy.jpg", null, "Host", "johnsmith.s3.amazonaws.com",
                "Date", date, "Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
        assertThat(SigV2.stringToSign(r, new SigV2.Auth("AKIAIOSFODNN7EXAMPLE", "", null)))
                .isEqualTo("GET\n\n\n" + date + "\n/johnsmith/photos/puppy.jpg");
        assertThat(verifies(r, date)).isTrue();
    }

    @Test
    void objectPut() {
        String date = "Tue, 27 Mar 2007 21:15:45 +0000";
        SignedRequest r = virtualHost("PUT", "/photos/puppy.jpg", null, "Content-Type", "image/jpeg",
                "Content-Length", "94328", "Host", "johnsmith.s3.amazonaws.com", "Date", date,
                "Authorization", "AWS AKIAIOSFODNN7EXAMPLE:MyyxeRY7whkBe+bq8fHCL/2kKUg=");
        assertThat(verifies(r, date)).isTrue();
    }

    @Test
    void listIgnoresParametersThatAreNotSubResources() {
        String date = "Tue, 27 Mar 2007 19:42:41 +0000";
        SignedRequest r = virtualHost("GET", "/", "prefix=photos&max-keys=50&marker=puppy", "Host",
                "johnsmith.s3.amazonaws.com", "Date", date,
                "Authorization", "AWS AKIAIOSFODNN7EXAMPLE:htDYFYduRNen8P9ZfE/s9SuKy0U=");
        assertThat(verifies(r, date)).isTrue();
    }

    @Test
    void aSubResourceIsSigned() {
        String date = "Tue, 27 Mar 2007 19:44:46 +0000";
        SignedRequest r = virtualHost("GET", "/", "acl", "Host", "johnsmith.s3.amazonaws.com", "Date", date,
                "Authorization", "AWS AKIAIOSFODNN7EXAMPLE:c2WLPFtWHVgbEmeEG93a4cG37dM=");
        assertThat(verifies(r, date)).isTrue();
    }

    @Test
    void presignedQuery() {
        SignedRequest r = virtualHost("GET", "/photos/puppy.jpg",
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
                "Host", "johnsmith.s3.amazonaws.com");
        SigV2.Auth auth = SigV2.parseQuery(r, Instant.ofEpochSecond(1175139620 - 60));
        assertThat(auth.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(new SigV2.Check(r, auth).verify(SECRET)).isTrue();
        assertThat(new SigV2.Check(r, auth).verify("another-secret-entirely")).isFalse();
        assertThatThrownBy(() -> SigV2.parseQuery(r, Instant.ofEpochSecond(1175139621)))
                .isInstanceOf(S3Error.class).extracting("code").isEqualTo("AccessDenied");
    }

    @Test
    void pathStyleSignsThePathAsSent() {
        SignedRequest r = new SignedRequest("GET", "/johnsmith/photos/puppy.jpg", (String) null,
                Map.of("date", List.of("Tue, 27 Mar 2007 19:36:42 +0000")), null);
        assertThat(SigV2.sign(SECRET, SigV2.stringToSign(r, new SigV2.Auth("AKIAIOSFODNN7EXAMPLE", "", null))))
                .isEqualTo("bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
    }
}
