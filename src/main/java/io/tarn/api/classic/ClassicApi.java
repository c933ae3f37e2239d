package io.tarn.api.classic;

import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;

/**
 * The classic (lakeFS 2020 compatible) API's operations on repositories, branches, commits, objects,
 * refs and tags, as described by {@code api/swagger.json}. setupLakeFS, getCurrentUser and healthCheck
 * are {@code SystemOperations}'.
 */
public final class ClassicApi {
    private ClassicApi() {}

    public static Operations operations(Engine engine) {
        return new Operations()
                .addAll(new RepositoryOperations(engine).operations())
                .addAll(new BranchOperations(engine).operations())
                .addAll(new CommitOperations(engine).operations())
                .addAll(new ObjectOperations(engine).operations())
                .addAll(new RefOperations(engine).operations())
                .addAll(new TagOperations(engine).operations())
                .addAll(new RetentionOperations(engine).operations());
    }
}
