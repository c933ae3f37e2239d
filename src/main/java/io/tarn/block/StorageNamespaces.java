package io.tarn.block;

import java.util.Locale;

/** Parsing of storage namespace URIs ({@code scheme://bucket/prefix} or {@code local://path}). */
public final class StorageNamespaces {
    private StorageNamespaces() {}

    /**
     * Parses {@code uri} for a store of type {@code expectedScheme}.
     *
     * <p>For {@code local} the whole part after {@code local://} is a relative path (the prefix;
     * the bucket is empty). For other schemes the first segment is the bucket and the rest, if
     * any, the prefix. Trailing slashes are ignored. Prefixes follow the key rules of
     * {@link BlockKeys}: no absolute paths, no {@code .}/{@code ..} segments, no NUL or
     * backslashes.
     *
     * @throws InvalidNamespaceException if the namespace is malformed or of another scheme
     */
    public static StorageNamespace parse(String uri, String expectedScheme) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidNamespaceException("storage namespace is empty; expected "
                    + example(expectedScheme));
        }
        int sep = uri.indexOf("://");
        if (sep <= 0) {
            throw new InvalidNamespaceException("storage namespace " + BlockKeys.quote(uri)
                    + " is not a URI; expected " + example(expectedScheme));
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals(expectedScheme)) {
            throw new InvalidNamespaceException("storage namespace " + BlockKeys.quote(uri)
                    + " has scheme '" + scheme + "' but the block store is of type '"
                    + expectedScheme + "'; expected " + example(expectedScheme));
        }
        String rest = uri.substring(sep + 3);
        while (rest.endsWith("/") && rest.length() > 1) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (expectedScheme.equals("local")) {
            String problem = BlockKeys.problem(rest);
            if (problem != null) {
                throw new InvalidNamespaceException("storage namespace " + BlockKeys.quote(uri)
                        + " is invalid: its path must be relative to the local block store root, but "
                        + problem);
            }
            return new StorageNamespace(uri, scheme, "", rest);
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        boolean validBucket = expectedScheme.equals("s3")
                ? bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]") && !bucket.contains("..")
                : bucket.matches("[A-Za-z0-9_\\-][A-Za-z0-9._\\-]{0,62}");
        if (!validBucket) {
            throw new InvalidNamespaceException("storage namespace " + BlockKeys.quote(uri)
                    + " has an invalid bucket name " + BlockKeys.quote(bucket)
                    + (expectedScheme.equals("s3")
                            ? " (3-63 characters: lowercase letters, digits, '.' and '-')"
                            : " (1-63 characters: letters, digits, '.', '_' and '-')"));
        }
        if (!prefix.isEmpty()) {
            String problem = BlockKeys.problem(prefix);
            if (problem != null) {
                throw new InvalidNamespaceException("storage namespace " + BlockKeys.quote(uri)
                        + " has an invalid path: " + problem);
            }
        }
        return new StorageNamespace(uri, scheme, bucket, prefix);
    }

    /** Throws unless {@code ns} belongs to a store of type {@code scheme}. */
    public static StorageNamespace require(StorageNamespace ns, String scheme) {
        if (ns == null) {
            throw new InvalidNamespaceException("storage namespace is missing");
        }
        if (!scheme.equals(ns.scheme())) {
            throw new InvalidNamespaceException("storage namespace " + BlockKeys.quote(ns.uri())
                    + " has scheme '" + ns.scheme() + "' but the block store is of type '" + scheme
                    + "'; expected " + example(scheme));
        }
        return ns;
    }

    private static String example(String scheme) {
        return switch (scheme) {
            case "local" -> "local://<path under the local root>, e.g. local://repos/example";
            case "s3" -> "s3://<bucket>/<prefix>, e.g. s3://storage-bucket/repos/example";
            case "mem" -> "mem://<name>, e.g. mem://example";
            default -> scheme + "://...";
        };
    }
}
