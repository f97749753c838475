package io.github.backfill.coordinator.stage;

import io.github.backfill.common.db.Sql;

/**
 * A hypertable of the source that stage considers.
 *
 * @param timeColumnSql the time column as an SQL identifier, quoted only where needed, as the
 *     original's edge filters show it
 * @param timeType the type of its first dimension, or null when stage does not support it
 * @param rawTimeType that type's name as {@code regtype} gives it
 * @param viewSchema for a continuous aggregate's materialization hypertable, the aggregate's view
 *     schema; else null
 * @param displayName how users know it, quoted only where needed as {@code format('%I.%I')} prints it
 *     and {@code --filter} matches it: {@code public.metrics}, or the aggregate's view for
 *     materializations
 */
public record SourceHypertable(
    int id,
    String schema,
    String name,
    String timeColumn,
    String timeColumnSql,
    TimeType timeType,
    String rawTimeType,
    String viewSchema,
    String viewName,
    String displayName) {

  public boolean isContinuousAggregate() {
    return viewName != null;
  }

  public String qualifiedName() {
    return Sql.qualified(schema, name);
  }
}
