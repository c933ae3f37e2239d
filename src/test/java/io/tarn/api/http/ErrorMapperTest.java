package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.error.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** What every JSON surface shares; domain mappings are each surface's own (ClassicErrorsTest). */
class ErrorMapperTest {

    @Test
    void domainErrorsGoToTheSurfacesMapping() {
        ErrorMapper mapper = new ErrorMapper(error -> ErrorMapper.of(418, "mapped: " + error.getMessage()));
        ErrorMapper.ErrorResponse mapped = mapper.map(new NotFoundException(NotFoundException.Kind.BRANCH, "b"));
        assertThat(mapped.status()).isEqualTo(418);
        assertThat(mapped.message()).isEqualTo("mapped: branch not found: b");
        // also when wrapped by a layer that does not know it
        assertThat(mapper.map(new UncheckedIOException(new IOException("x"))).status()).isEqualTo(500);
        assertThat(mapper.map(new RuntimeException(new NotFoundException(NotFoundException.Kind.OBJECT, "o"))).status())
                .isEqualTo(418);
    }

    @Test
    void aSurfaceWithoutDomainErrorsTreatsOneAsTheServersFault() {
        ErrorMapper.ErrorResponse response = ErrorMapper.NO_DOMAIN.map(new NotFoundException(NotFoundException.Kind.REPOSITORY, "r"));
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.message()).isEqualTo(ErrorMapper.INTERNAL_ERROR);
        assertThat(response.serverFault()).isTrue();
    }

    @Test
    void httpLevelFailuresKeepTheirStatus() {
        assertThat(ErrorMapper.NO_DOMAIN.map(new ApiException(405, "no")).status()).isEqualTo(405);
        assertThat(ErrorMapper.NO_DOMAIN.map(new MalformedBodyException("cut")).message()).isEqualTo("cut");
        assertThat(ErrorMapper.of(400, " ").message()).isEqualTo("request failed with status 400");
    }
}
