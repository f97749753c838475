package io.github.backfill.coordinator.run;

import io.github.backfill.common.db.ConnectionSettings;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskOptions;
import io.github.backfill.worker.RetryPolicy;

/**
 * What a copy or verify run was asked to do.
 *
 * @param localWorkers worker slots in this process (0: it only coordinates, in a cluster)
 * @param tasks how the tasks are done (verify's --deep, copy's --analyze)
 */
public record RunOptions(
    TaskKind kind,
    ConnectionSettings source,
    ConnectionSettings target,
    int localWorkers,
    TaskOptions tasks,
    RetryPolicy retry) {}
