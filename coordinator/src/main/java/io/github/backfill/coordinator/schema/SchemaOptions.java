package io.github.backfill.coordinator.schema;

import io.github.backfill.common.db.ConnectionSettings;
import java.util.Map;

/**
 * What {@code schema} was asked for.
 *
 * @param filter a POSIX regular expression on {@code "schema"."name"}, or null for everything
 * @param environment where {@link PgDump} looks for pg_dump
 */
public record SchemaOptions(
    ConnectionSettings source, ConnectionSettings target, String filter, Map<String, String> environment) {}
