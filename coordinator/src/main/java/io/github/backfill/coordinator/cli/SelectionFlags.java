package io.github.backfill.coordinator.cli;

import picocli.CommandLine.Option;

/**
 * {@code --filter}, {@code --cascade-up} and {@code --cascade-down}, which {@code stage} and
 * {@code refresh-caggs} share. What they select differs, so each command words their help in its
 * resource bundle, under the keys {@code filter}, {@code cascade-up} and {@code cascade-down}.
 */
final class SelectionFlags {
  @Option(names = {"-f", "--filter"}, paramLabel = "REGEX", descriptionKey = "filter")
  String filter;

  @Option(names = {"-U", "--cascade-up"}, descriptionKey = "cascade-up")
  boolean cascadeUp;

  @Option(names = {"-D", "--cascade-down"}, descriptionKey = "cascade-down")
  boolean cascadeDown;
}
