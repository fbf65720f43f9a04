package io.hookline.bench;

import java.nio.file.Path;

/**
 * What every scenario needs: the built service jar and its config, the installed plugins, a scratch directory,
 * the shared receiver, and the size of the run.
 */
record Setup(Path serverJar, Path config, Path pluginsDir, Path work, Path outDir, Receiver receiver, Sizes sizes,
             boolean profile) {
}
