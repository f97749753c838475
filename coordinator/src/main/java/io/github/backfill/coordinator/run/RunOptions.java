package io.github.backfill.coordinator.run;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.worker.RetryPolicy;

/**
 * What a copy or verify run was asked to do.
 *
 * @param localWorkers worker slots in this process (0: it only coordinates, in a cluster)
 * @param deep for verify: also compare a hash of every row
 */
public record RunOptions(
    TaskKind kind,
    ConnectionSettings source,
    ConnectionSettings target,
    int localWorkers,
    boolean deep,
    RetryPolicy retry) {}
