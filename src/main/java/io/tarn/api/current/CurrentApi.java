package io.tarn.api.current;

import io.tarn.api.http.Operations;
import io.tarn.engine.Engine;

/**
 * The current lakeFS API's operations on repositories, branches, commits, refs, tags and objects, as
 * described by {@code api/openapi.json}; setup, login, user, config and health are
 * {@code SetupOperations}'.
 */
public final class CurrentApi {
    private CurrentApi() {}

    public static Operations operations(Engine engine) {
        return new Operations()
                .addAll(new RepositoryOperations(engine).operations())
                .addAll(new BranchOperations(engine).operations())
                .addAll(new CommitOperations(engine).operations())
                .addAll(new RefOperations(engine).operations())
                .addAll(new TagOperations(engine).operations())
                .addAll(new ObjectOperations(engine).operations())
                .addAll(new StagingOperations(engine).operations())
                .addAll(new ImportOperations(engine).operations())
                .addAll(new GcRulesOperations(engine).operations())
                .addAll(NotImplementedOperations.operations());
    }
}
