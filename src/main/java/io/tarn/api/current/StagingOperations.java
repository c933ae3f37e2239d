package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.StagingLocation;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tag {@code staging} (getPhysicalAddress, linkPhysicalAddress: how the SDKs and lakectl upload straight
 * to the block store) and {@code stageObject} (an entry on data already in the block store).
 */
final class StagingOperations {
    private final Engine engine;

    StagingOperations(Engine engine) {
        this.engine = engine;
    }

    Operations operations() {
        return new Operations()
                .add("getPhysicalAddress", this::physicalAddress)
                .add("linkPhysicalAddress", this::link)
                .add("stageObject", this::stage);
    }

    private static String path(ApiRequest request) {
        return Inputs.objectPath(Requests.requiredQuery(request, "path"), "path");
    }

    /** A fresh address for the path; with {@code presign=true} a presigned PUT URL (S3 block stores). */
    private void physicalAddress(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String path = path(request);
        boolean presign = Requests.presign(request);
        StagingLocation location;
        try {
            location = engine.stagingLocation(repository, branch, path, presign ? Requests.PRESIGN_TTL : null);
        } catch (UnsupportedOperationException e) {
            throw Requests.presignUnsupported();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("physical_address", location.physicalAddress());
        if (location.presignedUrl() != null) {
            out.put("presigned_url", location.presignedUrl());
            out.put("presigned_url_expiry", location.presignedUrlExpiry());
        }
        response.json(200, out);
    }

    /** Stages what the client wrote at a handed-out address; {@code If-None-Match: *} keeps an existing object. */
    private void link(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String path = path(request);
        JsonBody body = JsonBody.required(request, "StagingMetadata");
        JsonBody staging = body.optionalObject("staging");
        if (staging == null) {
            throw new InvalidArgumentException("StagingMetadata.staging is required");
        }
        String address = staging.requiredString("physical_address");
        String checksum = body.requiredString("checksum");
        Long size = body.optionalLong("size_bytes");
        if (size == null || size < 0) {
            throw new InvalidArgumentException("StagingMetadata.size_bytes is required and must not be negative");
        }
        body.optionalLong("mtime"); // checked, but the server records the time of the link (as lakeFS may)
        requireAbsentIfAsked(request, repository, branch, path);
        ObjectEntry entry = engine.linkPhysicalAddress(repository, branch, path, address, checksum, size,
                body.optionalString("content_type"), body.stringMap("user_metadata"));
        response.json(200, CurrentWire.object(engine.getRepository(repository), entry, true));
    }

    /** An entry on existing data (a full URI of this block store, outside every repository's namespace). */
    private void stage(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String path = path(request);
        JsonBody body = JsonBody.required(request, "ObjectStageCreation");
        String address = body.requiredString("physical_address");
        String checksum = body.requiredString("checksum");
        Long size = body.optionalLong("size_bytes");
        if (size == null || size < 0) {
            throw new InvalidArgumentException("ObjectStageCreation.size_bytes is required and must not be negative");
        }
        body.optionalLong("mtime");
        requireAbsentIfAsked(request, repository, branch, path);
        ObjectEntry entry = engine.stageExternalObject(repository, branch, path, address, checksum, size,
                body.optionalString("content_type"), body.stringMap("metadata"));
        response.json(201, CurrentWire.object(engine.getRepository(repository), entry, true));
    }

    private void requireAbsentIfAsked(ApiRequest request, String repository, String branch, String path) {
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch.isEmpty()) {
            return;
        }
        if (!ifNoneMatch.get().trim().equals("*")) {
            throw new InvalidArgumentException("If-None-Match supports only '*'");
        }
        try {
            engine.statObject(repository, branch, path);
        } catch (NotFoundException absent) {
            engine.getBranch(repository, branch);
            return;
        }
        throw new ApiException(412, "object " + Inputs.quote(path) + " already exists");
    }
}
