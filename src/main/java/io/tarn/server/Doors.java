package io.tarn.server;

import io.tarn.api.classic.ClassicSurface;
import io.tarn.api.current.CurrentSurface;
import io.tarn.api.http.Mount;
import io.tarn.api.http.NotFoundSurface;
import io.tarn.api.http.RequestMatcher;
import io.tarn.api.s3.S3Dispatch;
import io.tarn.api.s3.S3Gateway;
import io.tarn.api.system.HealthSurface;
import io.tarn.api.system.MetricsSurface;
import io.tarn.api.ui.WebUiSurface;
import io.tarn.auth.AuthService;
import io.tarn.auth.AuthenticatorChain;
import io.tarn.auth.AwsSignatureAuthenticator;
import io.tarn.auth.BasicAuthenticator;
import io.tarn.auth.LoginTokens;
import io.tarn.auth.TokenAuthenticator;
import io.tarn.config.TarnConfig;
import io.tarn.engine.Engine;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Which surfaces the server mounts on its one port, and in what order the front door tries them
 * (lakeFS's rule): the S3 gateway (its host names, or any AWS-signed request outside the paths the
 * other doors reserve), the classic API ({@code /api/v0}, {@code /swagger.json}), the current API
 * ({@code /api/v1}, {@code /openapi.json}), {@code /_health}, {@code /metrics}, any other
 * {@code /api/...} path (a JSON 404), and the web UI for everything else.
 */
final class Doors {
    private Doors() {}

    static List<Mount> mounts(TarnConfig config, Engine engine, AuthService auth, String instanceId,
                              MetricsSurface.Source metrics) throws IOException {
        RequestMatcher classic = ClassicSurface.paths();
        RequestMatcher current = CurrentSurface.paths();
        RequestMatcher health = RequestMatcher.path(HealthSurface.PATH);
        RequestMatcher metricsPath = RequestMatcher.path(MetricsSurface.PATH);
        RequestMatcher reserved = classic.or(current).or(health).or(metricsPath);

        List<Mount> mounts = new ArrayList<>();
        mounts.add(new Mount(S3Dispatch.matcher(config.gateways().s3DomainNames(), reserved),
                new S3Gateway(engine, AuthenticatorChain.of(new AwsSignatureAuthenticator(auth)), auth.directory(),
                        config.gateways().s3DomainNames(), config.gateways().s3Region(), Clock.systemUTC())));
        mounts.add(new Mount(classic, ClassicSurface.create(engine, auth,
                AuthenticatorChain.of(new BasicAuthenticator(auth)))));
        LoginTokens tokens = LoginTokens.of(auth, config.auth().loginDuration());
        mounts.add(new Mount(current, CurrentSurface.create(engine, auth, tokens,
                new CurrentSurface.ServerInfo(version(), config.blockstore().type()),
                AuthenticatorChain.of(new BasicAuthenticator(auth), new TokenAuthenticator(tokens, auth)))));
        mounts.add(new Mount(health, new HealthSurface(instanceId)));
        mounts.add(new Mount(metricsPath, new MetricsSurface(metrics)));
        mounts.add(new Mount(RequestMatcher.under("/api"), new NotFoundSurface("api",
                "no API at this path (the lakeFS APIs are at " + CurrentSurface.BASE_PATH + ", document "
                        + CurrentSurface.DOCUMENT_PATH + ", and " + ClassicSurface.BASE_PATH + ", document "
                        + ClassicSurface.DOCUMENT_PATH + ")")));
        mounts.add(new Mount(RequestMatcher.any(), WebUiSurface.fromClasspath()));
        return List.copyOf(mounts);
    }

    /** Tarn's version, from the jar's manifest. */
    private static String version() {
        String version = Doors.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
