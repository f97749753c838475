package io.github.backfill.coordinator.cli;

import io.github.backfill.common.testing.BackfillDatabases;
import io.github.backfill.common.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the test classes whose every test starts from an empty pair of databases, TimescaleDB
 * installed: {@link #source} and {@link #target} are made anew before each test, and {@link #run}
 * runs a command between them. Its {@code @BeforeEach} runs before those of the subclass.
 */
abstract class FreshDatabasesTest {
  @RegisterExtension static final BackfillDatabases dbs = new BackfillDatabases();

  TestDatabase source;
  TestDatabase target;

  @BeforeEach
  final void freshDatabases() {
    dbs.reset();
    source = dbs.source();
    target = dbs.target();
  }

  CliRun run(String command, String... flags) {
    return CliRun.between(source, target, command, flags);
  }
}
