package io.tarn.api.s3;

import io.tarn.api.s3.sig.AwsEncoding;
import io.tarn.engine.Engine;
import io.tarn.engine.model.Branch;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import io.tarn.error.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Bucket operations: a bucket is a repository. ListBuckets, HeadBucket, GetBucketLocation,
 * GetBucketVersioning (never enabled), CreateBucket (never creates), and ListObjects v1 and v2 over
 * keys {@code <ref>/<path>}: a listing of the bucket root with delimiter {@code /} shows the branches
 * as common prefixes; a prefix that names a ref lists that ref's objects.
 */
final class S3Buckets {
    static final int MAX_KEYS = 1000;
    private final Engine engine;
    private final String region;

    S3Buckets(Engine engine, String region) {
        this.engine = engine;
        this.region = region;
    }

    void listBuckets(S3Gateway.Call call) {
        Xml xml = Xml.document("ListAllMyBucketsResult");
        String user = call.signed.principal().userId();
        xml.open("Owner").element("ID", user).element("DisplayName", user).close("Owner");
        xml.open("Buckets");
        String prefix = call.request.param("prefix");
        String after = null;
        while (true) {
            Page<Repository> page = engine.listRepositories(after, 1000);
            for (Repository r : page.items()) {
                if (prefix == null || r.id().startsWith(prefix)) {
                    xml.open("Bucket").element("Name", r.id()).timeElement("CreationDate", r.creationDate() * 1000)
                            .close("Bucket");
                }
            }
            if (!page.hasMore() || page.nextOffset() == null) {
                break;
            }
            after = page.nextOffset();
        }
        xml.close("Buckets");
        xml.send(call.request.exchange, "ListAllMyBucketsResult");
    }

    Repository repository(S3Gateway.Call call) {
        return engine.getRepository(call.request.bucket);
    }

    void headBucket(S3Gateway.Call call) {
        repository(call);
        call.request.exchange.response().header("x-amz-bucket-region", region);
        call.request.exchange.response().empty(200);
    }

    void location(S3Gateway.Call call) {
        repository(call);
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" + Xml.NS + "\">"
                + (region.equals("us-east-1") ? "" : region) + "</LocationConstraint>").getBytes(StandardCharsets.UTF_8);
        call.request.exchange.response().bytes(200, "application/xml", body);
    }

    void versioning(S3Gateway.Call call) {
        repository(call);
        Xml.document("VersioningConfiguration").send(call.request.exchange, "VersioningConfiguration");
    }

    /** A repository has no bucket tags: S3's answer for a bucket without them. */
    void tagging(S3Gateway.Call call) {
        repository(call);
        throw new S3Error(404, "NoSuchTagSet", "The TagSet does not exist");
    }

    /** The owner has full control, as S3 answers for a private bucket. */
    void acl(S3Gateway.Call call) {
        repository(call);
        sendOwnerAcl(call);
    }

    static void sendOwnerAcl(S3Gateway.Call call) {
        String user = call.signed.principal().userId();
        Xml xml = Xml.document("AccessControlPolicy");
        xml.open("Owner").element("ID", user).element("DisplayName", user).close("Owner");
        xml.open("AccessControlList").open("Grant");
        xml.raw("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">");
        xml.element("ID", user).element("DisplayName", user).close("Grantee");
        xml.element("Permission", "FULL_CONTROL").close("Grant").close("AccessControlList");
        xml.send(call.request.exchange, "AccessControlPolicy");
    }

    void createBucket(S3Gateway.Call call) {
        try {
            repository(call);
        } catch (NotFoundException e) {
            throw S3Error.notImplemented("the S3 gateway does not create repositories: create '" + call.request.bucket
                    + "' with the lakeFS API (POST /api/v0/repositories)");
        }
        throw new S3Error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket"
                + " succeeded and you already own it.");
    }

    // ---- listing ----------------------------------------------------------------------------

    /**
     * An object or common prefix of a listing, keyed {@code <ref>/<path>}: the ref's part apart (the
     * item as the engine listed it, no copy of it with a longer path).
     *
     * @param refPrefix {@code "<ref>/"}, or {@code ""} when the item's path is the whole key (a branch's prefix)
     */
    record Keyed(String refPrefix, ListItem item) {
        String key() {
            return refPrefix + item.path();
        }
    }

    /** A listing's answer: objects and common prefixes by full key, in order. */
    private record Listing(List<Keyed> items, boolean truncated) {}

    void listObjects(S3Gateway.Call call, boolean v2) {
        S3Request r = call.request;
        String prefix = orEmpty(r.param("prefix"));
        String delimiter = orEmpty(r.param("delimiter"));
        boolean url = urlEncoding(r);
        int maxKeys = maxKeys(r.param("max-keys"));
        String token = v2 ? r.param("continuation-token") : null;
        String startAfter = v2 ? r.param("start-after") : null;
        String marker = v2 ? null : r.param("marker");
        String after;
        if (v2) {
            after = token != null ? decodeToken(token) : emptyToNull(startAfter);
        } else {
            after = emptyToNull(marker);
        }
        Listing listing;
        if (maxKeys == 0) {
            repository(call); // NoSuchBucket still
            listing = new Listing(List.of(), false);
        } else {
            // the engine's listing (of a ref or of the branches) reads the repository itself: NoSuchBucket from there
            listing = list(r.bucket, prefix, delimiter, after, maxKeys);
        }
        Xml xml = Xml.document("ListBucketResult", 512 + listing.items().size() * (v2 ? 256 : 384));
        xml.element("Name", r.bucket).element("Prefix", enc(prefix, url));
        if (v2) {
            if (token != null) {
                xml.element("ContinuationToken", token);
            }
            if (startAfter != null) {
                xml.element("StartAfter", enc(startAfter, url));
            }
            xml.element("KeyCount", listing.items().size());
        } else {
            xml.element("Marker", enc(orEmpty(marker), url));
        }
        xml.element("MaxKeys", maxKeys);
        if (!delimiter.isEmpty()) {
            xml.element("Delimiter", enc(delimiter, url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("IsTruncated", listing.truncated());
        if (listing.truncated()) {
            String last = listing.items().get(listing.items().size() - 1).key();
            if (v2) {
                xml.element("NextContinuationToken", encodeToken(last));
            } else {
                xml.element("NextMarker", enc(last, url));
            }
        }
        for (Keyed keyed : listing.items()) {
            if (keyed.item() instanceof ObjectEntry e) {
                xml.contents(keyed.refPrefix(), e.path(), url, e.mtime(), e.checksum(), e.size(),
                        v2 ? null : call.signed.principal().userId());
            }
        }
        for (Keyed keyed : listing.items()) {
            if (keyed.item() instanceof CommonPrefix p) {
                xml.open("CommonPrefixes").keyElement("Prefix", keyed.refPrefix(), p.path(), url)
                        .close("CommonPrefixes");
            }
        }
        xml.send(r.exchange, "ListBucketResult");
    }

    /** Up to {@code max} items after {@code after} (exclusive; null = from the start), keys {@code <ref>/<path>}. */
    private Listing list(String repo, String prefix, String delimiter, String after, int max) {
        int slash = prefix.indexOf('/');
        List<Keyed> out = new ArrayList<>(Math.min(max + 1, 1024));
        if (slash >= 0) {
            String ref = prefix.substring(0, slash);
            boolean more = listRef(repo, ref, prefix.substring(slash + 1), delimiter, after, max, out);
            return new Listing(out, more);
        }
        if (delimiter.equals("/")) {
            return listBranchPrefixes(repo, prefix, after, max);
        }
        // no ref in the prefix and no '/' grouping: every branch whose name starts with the prefix, in key order
        String branchAfter = null;
        while (true) {
            Page<Branch> page = engine.listBranches(repo, branchAfter, 1000);
            for (Branch b : page.items()) {
                if (!b.name().startsWith(prefix)) {
                    continue;
                }
                if (listRef(repo, b.name(), "", delimiter, after, max - out.size(), out)) {
                    return new Listing(out, true);
                }
                if (out.size() >= max) {
                    return new Listing(out, hasBranchAfter(repo, b.name(), prefix));
                }
            }
            if (!page.hasMore() || page.nextOffset() == null) {
                return new Listing(out, false);
            }
            branchAfter = page.nextOffset();
        }
    }

    private boolean hasBranchAfter(String repo, String branch, String prefix) {
        String after = branch;
        while (true) {
            Page<Branch> page = engine.listBranches(repo, after, 1000);
            for (Branch b : page.items()) {
                if (b.name().startsWith(prefix)) {
                    return true;
                }
            }
            if (!page.hasMore() || page.nextOffset() == null) {
                return false;
            }
            after = page.nextOffset();
        }
    }

    /** Lists one ref into {@code out} (full keys); true if that ref has more than {@code max} left. */
    private boolean listRef(String repo, String ref, String pathPrefix, String delimiter, String after, int max,
                            List<Keyed> out) {
        String keyPrefix = ref + "/";
        String engineAfter = null;
        if (after != null) {
            if (after.startsWith(keyPrefix)) {
                engineAfter = emptyToNull(after.substring(keyPrefix.length()));
            } else if (after.compareTo(keyPrefix) > 0) {
                engine.getRepository(repo); // NoSuchBucket still, though nothing is listed
                return false; // everything of this ref sorts before `after`
            }
        }
        Page<ListItem> page;
        try {
            page = engine.listObjects(repo, ref, pathPrefix, delimiter.isEmpty() ? null : delimiter, engineAfter, max);
        } catch (NotFoundException e) {
            if (e.kind() == NotFoundException.Kind.REPOSITORY) {
                throw e;
            }
            return false; // no such ref: no such keys
        }
        for (ListItem item : page.items()) {
            out.add(new Keyed(keyPrefix, item));
        }
        return page.hasMore();
    }

    /** The branches whose names start with {@code prefix}, as common prefixes {@code <branch>/}. */
    private Listing listBranchPrefixes(String repo, String prefix, String after, int max) {
        List<Keyed> out = new ArrayList<>();
        String branchAfter = null;
        while (true) {
            Page<Branch> page = engine.listBranches(repo, branchAfter, 1000);
            for (Branch b : page.items()) {
                String key = b.name() + "/";
                if (!key.startsWith(prefix) || (after != null && key.compareTo(after) <= 0)) {
                    continue;
                }
                if (out.size() == max) {
                    return new Listing(out, true);
                }
                out.add(new Keyed("", new CommonPrefix(key)));
            }
            if (!page.hasMore() || page.nextOffset() == null) {
                return new Listing(out, false);
            }
            branchAfter = page.nextOffset();
        }
    }

    static int maxKeys(String value) {
        if (value == null) {
            return MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, MAX_KEYS);
        } catch (NumberFormatException e) {
            throw new S3Error(400, "InvalidArgument", "max-keys must be a non-negative integer");
        }
    }

    static String encodeToken(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Error(400, "InvalidArgument", "The continuation token provided is incorrect");
        }
    }

    /**
     * Whether a listing asks for {@code encoding-type=url} (keys, prefixes, markers and the delimiter
     * percent-encoded in the answer); any other encoding is {@code 400 InvalidArgument}.
     */
    static boolean urlEncoding(S3Request r) {
        String encoding = r.param("encoding-type");
        if (encoding != null && !encoding.equals("url")) {
            throw new S3Error(400, "InvalidArgument", "Invalid Encoding Method specified in Request");
        }
        return encoding != null;
    }

    static String enc(String value, boolean url) {
        return url ? AwsEncoding.uriEncode(value, true) : value;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
