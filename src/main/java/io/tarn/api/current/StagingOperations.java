package io.tarn.api.current;

import io.tarn.api.common.Inputs;
import io.tarn.api.common.JsonBody;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;
import io.tarn.block.Multipart;
import io.tarn.block.PartResult;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.PresignedMultipartUpload;
import io.tarn.engine.model.StagingLocation;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tag {@code staging} (getPhysicalAddress, linkPhysicalAddress: how the SDKs and lakectl upload straight
 * to the block store), {@code stageObject} (an entry on data already in the block store) and the
 * presigned multipart uploads of {@code /staging/pmpu} (parts PUT straight to S3).
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
                .add("stageObject", this::stage)
                .add("createPresignMultipartUpload", this::createMultipart)
                .add("completePresignMultipartUpload", this::completeMultipart)
                .add("abortPresignMultipartUpload", this::abortMultipart);
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

    /** A multipart upload whose parts the client PUTs to presigned URLs (block stores that presign parts). */
    private void createMultipart(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String path = path(request);
        int parts = Requests.integer(request, "parts", 0);
        PresignedMultipartUpload upload;
        try {
            upload = engine.createPresignedMultipartUpload(repository, branch, path, parts, Requests.PRESIGN_TTL);
        } catch (UnsupportedOperationException e) {
            throw presignedMultipartUnsupported();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("upload_id", upload.uploadId());
        out.put("physical_address", upload.physicalAddress());
        out.put("presigned_urls", upload.presignedUrls());
        response.json(201, out);
    }

    /** Assembles the parts the client uploaded and stages the object with its content type and metadata. */
    private void completeMultipart(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String uploadId = request.pathParam("uploadId");
        String path = path(request);
        JsonBody body = JsonBody.required(request, "CompletePresignMultipartUpload");
        String address = body.requiredString("physical_address");
        List<JsonBody> listed = body.requiredObjectList("parts", Multipart.MAX_PART_NUMBER);
        List<PartResult> parts = new ArrayList<>(listed.size());
        for (JsonBody part : listed) {
            parts.add(new PartResult(part.requiredInt("part_number"), -1, part.requiredString("etag")));
        }
        ObjectEntry entry;
        try {
            entry = engine.completePresignedMultipartUpload(repository, branch, path, uploadId, address, parts,
                    body.optionalString("content_type"), body.stringMap("user_metadata"));
        } catch (UnsupportedOperationException e) {
            throw presignedMultipartUnsupported();
        }
        response.json(200, CurrentWire.object(engine.getRepository(repository), entry, true));
    }

    private void abortMultipart(ApiRequest request, ApiResponse response) {
        String repository = Requests.repository(request);
        String branch = Requests.branch(request);
        String uploadId = request.pathParam("uploadId");
        String path = path(request);
        JsonBody body = JsonBody.required(request, "AbortPresignMultipartUpload");
        String address = body.requiredString("physical_address");
        try {
            engine.abortPresignedMultipartUpload(repository, branch, path, uploadId, address);
        } catch (UnsupportedOperationException e) {
            throw presignedMultipartUnsupported();
        }
        response.empty(204);
    }

    /** What lakeFS answers where the block store has no presigned multipart uploads (getConfig says so). */
    private static ApiException presignedMultipartUnsupported() {
        return new ApiException(501, "presign multipart upload API is not supported by this server's block store"
                + " (pre_sign_multipart_upload is false in getConfig)");
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
