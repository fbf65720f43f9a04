package io.hookline.bench;

import java.nio.file.Path;

/**
 * What every scenario needs: the built service jar and its config, the installed plugins, a scratch directory,
 * the shared receiver, the size of the run, and the engine the servers it starts keep their data in.
 */
record Setup(Path serverJar, Path config, Path pluginsDir, Path work, Path outDir, Receiver receiver, Sizes sizes,
             boolean profile, Engine engine) {

    /** The same setup with servers on {@code e}. */
    Setup on(Engine e) {
        return new Setup(serverJar, config, pluginsDir, work, outDir, receiver, sizes, profile, e);
    }

    /**
     * Whether scenarios measure their engine-independent baselines (the no-op request, the bare clients): on
     * PostgreSQL they do not, as each of its figures is shown beside the same figure on SQLite instead.
     */
    boolean measuresBaselines() {
        return !engine.isPostgres();
    }
}
