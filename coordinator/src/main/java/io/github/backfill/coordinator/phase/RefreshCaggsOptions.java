package io.github.backfill.coordinator.phase;

import io.github.backfill.common.db.ConnectionSettings;

/**
 * What {@code refresh-caggs} was asked to do.
 *
 * @param filter may be null: every continuous aggregate of the source
 * @param cascadeUp with a filter, also the aggregates built on those it matches, recursively
 * @param cascadeDown with a filter, also the aggregates those it matches are built on, recursively
 */
public record RefreshCaggsOptions(
    ConnectionSettings source,
    ConnectionSettings target,
    String filter,
    boolean cascadeUp,
    boolean cascadeDown) {}
