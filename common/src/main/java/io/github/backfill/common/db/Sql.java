package io.github.backfill.common.db;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tool's SQL statements, one file per statement under {@code sql/} on the classpath, each runnable
 * as-is in psql. A constant's file is its name in lower case: {@code SERVER_INFO} is
 * {@code sql/server_info.sql}. Also the one place that quotes identifiers and literals for the few
 * statements that must be built dynamically.
 *
 * <p>A statement that reads or writes TimescaleDB's catalog, which changes between releases, may
 * instead have one complete file per catalog variant, named after the first release it serves:
 * {@code sql/stage_chunks.2.17.sql} serves 2.17 up to the release before the next variant's
 * ({@code sql/stage_chunks.2.26.sql}), and the newest variant every later release. Each variant's
 * header names its range. Such a statement is only had through {@link #text(TimescaleVersion)}, which
 * {@link ReactiveSession} and {@link JdbcCatalog} call with the version their session learned: no
 * phase asks which version it runs against.
 */
public enum Sql {
  BACKFILL_SCHEMA_EXISTS,
  CAGG_INDEXES,
  CAGG_INVALIDATION_TRIGGER,
  CAGG_MATERIALIZATION,
  CAGG_VIEW_OF_HYPERTABLE,
  CATALOG_UUID,
  CHUNK_COMPRESSION_SETTINGS,
  CHUNK_SLICES,
  CLAIMABLE_AMONG,
  CLAIMABLE_TASKS,
  CLAIM_COPY_TASK,
  CLAIM_VERIFY_TASK,
  CLONE_FOREIGN_KEYS,
  COMPLETE_COPY_TASK,
  COMPLETE_VERIFY_TASK,
  COMPRESSED_CHUNK_COLUMNS,
  COMPRESSED_CHUNK_DEFINITION,
  COMPRESSED_ROWS,
  COMPRESSION_SETTINGS,
  COMPRESS_EMPTY_CHUNK,
  COPY_COLUMNS,
  CREATE_CHUNK,
  CREATE_COMPRESSED_CHUNK,
  DROP_BACKFILL_SCHEMA,
  FILTER_PLAIN_TABLES,
  FIND_HYPERTABLE,
  FIND_TARGET_CHUNK,
  HYPERTABLE_CHUNK_SLICES,
  HYPERTABLE_DIMENSIONS,
  HYPERCORE_RELATIONS,
  HYPERTABLE_ID_BY_NAME,
  HYPERTABLE_ID_BY_VIEW,
  INIT_BACKFILL_SCHEMA,
  INSERT_SESSION,
  INSERT_TASK,
  LOCK_RUN_SHARED,
  LOCK_STAGE,
  MAY_CREATE_IN_SCHEMA,
  MAY_SKIP_TRIGGERS,
  PENDING_TASKS,
  PROBE_SPACE_VALUE,
  PROBE_TIME_VALUE,
  RECORD_TASK_ERROR,
  REFRESH_CAGGS_PLAN,
  REFRESH_CAGGS_WATERMARKS,
  REFRESH_CONTINUOUS_AGGREGATE,
  REPLAN_TASK,
  SCHEMA_RELATIONS,
  SCHEMA_VIEW_DEFINITION,
  SERVER_INFO,
  SKIP_CAGG_INVALIDATION,
  SOURCE_CHUNK,
  STAGED_TASKS,
  STAGE_CHUNKS,
  STAGE_HYPERTABLES,
  STATUS_BY_HYPERTABLE,
  STATUS_BY_NODE,
  TABLE_COLUMNS,
  TASK_COUNTS,
  TASK_STATES,
  TERMINATE_NODE_SESSIONS,
  TIMESCALEDB_SCHEMA,
  TIMESCALEDB_VERSION,
  TIME_BOUND,
  TRY_LOCK_CLEAN,
  VALIDATE_FILTER,
  VERIFY_COLUMNS,
  WAIT_LOCK_STAGE;

  private volatile String text;
  private volatile Boolean variantsPresent;
  /** Variant texts by minor version of TimescaleDB 2.x, filled as versions are asked for. */
  private final Map<Integer, String> variants = new ConcurrentHashMap<>();

  private static final String DIR = "sql";

  /** The resource path of this statement's one file, for a statement without variants. */
  public String path() {
    return SqlVariants.plain(DIR, baseName());
  }

  private String baseName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this statement has one file per catalog variant. */
  public boolean hasVariants() {
    Boolean known = variantsPresent;
    if (known == null) {
      known = SqlVariants.hasVariants(DIR, baseName());
      variantsPresent = known;
    }
    return known;
  }

  /**
   * The statement, with its leading comment, as the file holds it. Only for statements that mean the
   * same on every TimescaleDB release; the others are had through {@link #text(TimescaleVersion)}.
   */
  public String text() {
    String loaded = text;
    if (loaded == null) {
      if (hasVariants()) {
        throw new IllegalStateException(
            baseName() + " differs between TimescaleDB releases: ask for the server's variant");
      }
      loaded = SqlVariants.plainText(DIR, baseName());
      text = loaded;
    }
    return loaded;
  }

  /** The statement as TimescaleDB {@code version}'s catalog needs it. */
  public String text(TimescaleVersion version) {
    if (!hasVariants()) {
      return text();
    }
    return variants.computeIfAbsent(version.minor(), m -> SqlVariants.text(DIR, baseName(), version));
  }

  /**
   * The statement with its one placeholder (an upper-case word such as {@code TIME_TYPE}) replaced by
   * {@code value}, which the caller takes from a fixed list or from the server's own quoting.
   */
  public String textWith(String placeholder, String value) {
    String statement = text();
    if (!statement.contains(placeholder)) {
      throw new IllegalStateException(path() + " has no placeholder " + placeholder);
    }
    return statement.replace(placeholder, value);
  }

  /** Quotes an identifier as PostgreSQL's {@code quote_ident} does, always quoting. */
  public static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code "schema"."table"}. */
  public static String qualified(String schema, String name) {
    return identifier(schema) + "." + identifier(name);
  }

  /** Quotes a string literal as PostgreSQL's {@code quote_literal} does. */
  public static String literal(String value) {
    String escaped = value.replace("'", "''");
    return value.contains("\\") ? "E'" + escaped.replace("\\", "\\\\") + "'" : "'" + escaped + "'";
  }
}
