package io.github.backfill.coordinator.stage;

import io.github.backfill.common.db.ConnectionSettings;

/**
 * What {@code stage} was asked to do.
 *
 * @param from may be null
 * @param filter may be null: every hypertable
 * @param snapshot stored with each task, as the original does, and not otherwise used
 */
public record StageOptions(
    ConnectionSettings source,
    ConnectionSettings target,
    String until,
    String from,
    String filter,
    boolean cascadeUp,
    boolean cascadeDown,
    String snapshot) {}
