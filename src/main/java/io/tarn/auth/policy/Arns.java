package io.tarn.auth.policy;

/** The resource names of lakeFS's policies. */
public final class Arns {
    private Arns() {}

    public static final String ALL = "*";

    public static String repository(String repository) {
        return "arn:lakefs:fs:::repository/" + repository;
    }

    public static String object(String repository, String path) {
        return repository(repository) + "/object/" + path;
    }

    public static String branch(String repository, String branch) {
        return repository(repository) + "/branch/" + branch;
    }

    public static String tag(String repository, String tag) {
        return repository(repository) + "/tag/" + tag;
    }

    public static String namespace(String namespace) {
        return "arn:lakefs:fs:::namespace/" + namespace;
    }

    public static String user(String user) {
        return "arn:lakefs:auth:::user/" + user;
    }

    public static String group(String group) {
        return "arn:lakefs:auth:::group/" + group;
    }

    public static String policy(String policy) {
        return "arn:lakefs:auth:::policy/" + policy;
    }
}
