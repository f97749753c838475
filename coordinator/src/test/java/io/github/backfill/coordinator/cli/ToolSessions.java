package io.github.backfill.coordinator.cli;

import io.github.backfill.common.testing.TestDatabase;

/** The tool's sessions on a test database, as {@code pg_stat_activity} shows them. */
final class ToolSessions {
  /** The tool's sessions on the database the query runs in. */
  static final String OF_THE_TOOL =
      "application_name = 'timescaledb-backfill' AND datname = current_database()";
  /** Waiting for a lock, such as one a test holds. */
  static final String WAITING_FOR_A_LOCK = "wait_event_type = 'Lock'";

  private ToolSessions() {}

  /** How many of the tool's sessions on {@code db} are as {@code condition} says. */
  static long count(TestDatabase db, String condition) {
    return db.count("SELECT count(*) FROM pg_stat_activity WHERE " + OF_THE_TOOL + " AND " + condition);
  }

  /** Ends the tool's sessions on {@code db} that are as {@code condition} says, as an admin would. */
  static void terminate(TestDatabase db, String condition) {
    db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE " + OF_THE_TOOL + " AND "
            + condition);
  }
}
