package io.github.backfill.coordinator.status;

/**
 * The chunks one worker node copied and verified, from {@code copied_by} and {@code verified_by}.
 *
 * @param node the node's cluster address ({@code host:port}), or {@code local} for a run's own workers
 *     outside a cluster
 */
public record NodeProgress(String node, long copied, long verified) {}
