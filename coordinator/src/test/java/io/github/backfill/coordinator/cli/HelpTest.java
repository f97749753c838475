package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class HelpTest {
  private static CommandLine cli() {
    return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  @Test
  void everyOptionOfEveryCommandIsRequiredOrDocumentsItsDefault() {
    CommandLine root = cli();
    assertThat(root.getSubcommands()).isNotEmpty();
    for (CommandLine command : java.util.stream.Stream.concat(
            java.util.stream.Stream.of(root), root.getSubcommands().values().stream()).toList()) {
      for (OptionSpec option : command.getCommandSpec().options()) {
        if (option.usageHelp() || option.versionHelp()) {
          continue;
        }
        String description = String.join(" ", option.description());
        assertThat(option.required() || description.contains("Default: "))
            .as("%s %s: %s", command.getCommandName(), option.longestName(), description)
            .isTrue();
        assertThat(description).as("%s %s", command.getCommandName(), option.longestName()).isNotBlank();
      }
    }
  }

  @Test
  void stageAndRefreshCaggsWordTheirSharedSelectionFlagsEachForItself() {
    CommandLine root = cli();
    String stage = String.join(" ", root.getSubcommands().get("stage").getCommandSpec()
        .findOption("--filter").description());
    String refresh = String.join(" ", root.getSubcommands().get("refresh-caggs").getCommandSpec()
        .findOption("--filter").description());
    assertThat(stage).contains("\"schema\".\"table\" of hypertables", "format('%I.%I')")
        .endsWith("Default: every hypertable.");
    assertThat(refresh).contains("\"schema\".\"view\" of the source's continuous aggregates")
        .endsWith("Default: every continuous aggregate.");
    assertThat(String.join(" ", root.getSubcommands().get("refresh-caggs").getCommandSpec()
            .findOption("-U").description()))
        .isEqualTo("With --filter, also refresh the continuous aggregates built on those that match,"
            + " recursively. Default: false.");
  }

  @Test
  void onlyCommandsThatWorkAreOffered() {
    assertThat(cli().getSubcommands().keySet()).containsExactly("schema", "stage", "copy", "verify", "refresh-caggs", "status", "clean", "worker", "demo");
  }

  @Test
  void versionPrintsOurVersion() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout().strip()).isEqualTo("timescaledb-backfill " + Version.version());
    assertThat(Version.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).contains("clean", "--disable-telemetry", "Exit codes: 0 success");
  }

  @Test
  void anUnknownCommandOrFlagIsAUsageError() {
    CliRun unknownCommand = CliRun.of("frobnicate");
    assertThat(unknownCommand.exitCode()).isEqualTo(2);
    assertThat(unknownCommand.stderr())
        .isEqualTo("Error: unknown command 'frobnicate'; the commands are schema, stage, copy,"
            + " verify, refresh-caggs, status, clean, worker, demo. Run 'timescaledb-backfill --help' for"
            + " usage.\n");
    assertThat(unknownCommand.stdout()).isEmpty();

    CliRun unknownFlag = CliRun.of("clean", "--target", "postgres://u@h/d", "--bogus");
    assertThat(unknownFlag.exitCode()).isEqualTo(2);
    assertThat(unknownFlag.stderr())
        .startsWith("Error: Unknown option: '--bogus'")
        .contains("Run 'timescaledb-backfill clean --help' for usage.");
  }

  @Test
  void aMissingRequiredFlagIsAUsageError() {
    CliRun run = CliRun.of("clean");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("Error: Missing required option: '--target=CONNSTR'");
  }

  @Test
  void aMalformedConnectionStringIsAUsageErrorWithoutThePassword() {
    CliRun run = CliRun.of("clean", "--target", "postgres://u:Sekr1t@h:notaport/d");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo(
            "Error: invalid connection string for --target: port \"notaport\" is not a number from 1"
                + " to 65535.\n");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void aUsageErrorThatRepeatsAnArgumentHidesItsPassword() {
    String url = "postgres://u:Sekr1t%2Fx@h/d";
    CliRun mistyped = CliRun.of("copy", "--source", url, "--target", url, "--sourc", url);
    CliRun extra = CliRun.of("copy", "--source", url, "--target", url, url);
    CliRun misplaced = CliRun.of("copy", "--source", url, "--target", url, "--parallelism=host=h password='Sekr1t x'");

    assertThat(mistyped.stderr())
        .startsWith("Error: Unknown options: '--sourc', 'postgres://u:***@h/d'. Run 'timescaledb-backfill copy"
            + " --help' for usage.\n");
    assertThat(extra.stderr()).startsWith("Error: Unmatched argument at index 5: 'postgres://u:***@h/d'. Run"
        + " 'timescaledb-backfill copy --help' for usage.\n");
    assertThat(misplaced.stderr())
        .startsWith("Error: Invalid value for option '--parallelism': 'host=h password=***' is not a whole"
            + " number. Run 'timescaledb-backfill copy --help' for usage.\n");
    for (CliRun run : List.of(mistyped, extra, misplaced)) {
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.stderr()).doesNotContain("Sekr1t");
    }
  }

  @Test
  void debugLogsTheToolsOwnLoggersAtDebugLevel() {
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.github.backfill");
    var before = logger.getLevel();
    try {
      CliRun.of("clean", "--target", "postgres://u@h:x/d");
      assertThat(logger.isDebugEnabled()).isFalse();
      CliRun.of("clean", "--debug", "--target", "postgres://u@h:x/d");
      assertThat(logger.isDebugEnabled()).isTrue();
    } finally {
      logger.setLevel(before);
    }
  }

  @Test
  void disableTelemetryIsAcceptedBeforeOrAfterTheCommand() {
    assertThat(CliRun.of("--disable-telemetry", "clean", "--target", "postgres://u@h:x/d").exitCode())
        .isEqualTo(2);
    assertThat(CliRun.of("clean", "--disable-telemetry", "--target", "postgres://u@h:x/d").stderr())
        .startsWith("Error: invalid connection string");
  }
}
