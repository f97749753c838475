package io.github.backfill.coordinator.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;
import io.github.backfill.common.db.DbErrors;
import io.github.backfill.common.db.Redaction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The command-line entry point: parses, runs one command, maps the outcome to the exit code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    quietJfr();
    if (args.length == 1 && args[0].equals(StartupTraining.FLAG)) {
      System.exit(StartupTraining.run());
    }
    Prestart.begin(args);
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Netty's buffer allocator asks JFR whether its own events are on (they are off unless a
   * recording names them), and the asking starts JFR's metadata in every JVM: about 30 ms of CPU at
   * each start (docs/benchmarks.md). {@code -Dio.netty.jfr.enabled=true} brings the events back.
   */
  private static void quietJfr() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  /** Runs the command line with the given streams and returns the exit code; used by tests too. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine(out, err, commandNamed(args));
    return cli.execute(args);
  }

  /** The command line with every command, as help lists them. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, null);
  }

  /**
   * The command line with {@code only} as its one command, or with all of them when null: picocli
   * reads every command's annotations as it adds it, 70 to 90 ms for the eight a run does not use
   * (docs/benchmarks.md, "Start-up"), and a command line runs one.
   */
  private static CommandLine commandLine(PrintWriter out, PrintWriter err, Class<?> only) {
    CommandLine cli = new CommandLine(new RootCommand());
    for (Class<?> command : RootCommand.COMMANDS) {
      if (only == null || command == only) {
        cli.addSubcommand(command);
      }
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.registerConverter(Integer.class, Main::wholeNumber);
    cli.registerConverter(int.class, Main::wholeNumber);
    cli.setExitCodeExceptionMapper(Main::exitCodeOf);
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler(Main::failure);
    cli.setExecutionStrategy(parsed -> {
      if (debug(parsed)) {
        logAtDebugLevel();
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli;
  }

  /**
   * The command that {@code args} run: the first argument after the root's own flags, if it names one.
   * Null otherwise (help, the version, a mistyped command), whose messages list every command.
   */
  static Class<?> commandNamed(String[] args) {
    String name = commandName(args);
    for (Class<?> command : RootCommand.COMMANDS) {
      if (command.getAnnotation(CommandLine.Command.class).name().equals(name)) {
        return command;
      }
    }
    return null;
  }

  /** The first argument after the root's own flags, or null when there is none. */
  private static String commandName(String[] args) {
    for (String arg : args) {
      if (!arg.equals("--debug") && !arg.equals("--disable-telemetry")) {
        return arg;
      }
    }
    return null;
  }

  private static int exitCodeOf(Throwable error) {
    return error instanceof BackfillException known
        ? known.exitCode().code()
        : ExitCode.FAILED.code();
  }

  private static Integer wholeNumber(String text) {
    try {
      return Integer.valueOf(text.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number");
    }
  }

  /** One line: picocli's account of what is wrong, then where the flags are described. */
  private static int usageError(ParameterException error, String[] args) {
    CommandLine cmd = error.getCommandLine();
    PrintWriter err = cmd.getErr();
    String problem = error.getMessage().strip();
    if (error instanceof UnmatchedArgumentException unmatched
        && cmd.getParent() == null
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      problem = "unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are "
          + String.join(", ", cmd.getSubcommands().keySet());
    }
    // picocli repeats a mistyped argument, which may be a connection string with its password.
    problem = Redaction.hide(problem, args);
    err.println(
        "Error: "
            + (problem.endsWith(".") ? problem.substring(0, problem.length() - 1) : problem)
            + ". Run '"
            + cmd.getCommandSpec().qualifiedName()
            + " --help' for usage.");
    err.flush();
    return ExitCode.USAGE.code();
  }

  private static int failure(Exception error, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    printError(err, error, debug(parsed), parsed.originalArgs().toArray(String[]::new));
    return exitCodeOf(error);
  }

  private static boolean debug(ParseResult parsed) {
    return parsed.hasMatchedOption("--debug")
        || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--debug"));
  }

  /** The tool's own loggers at debug level, as {@code --debug} promises; libraries stay at warnings. */
  private static void logAtDebugLevel() {
    if (LoggerFactory.getLogger("io.github.backfill") instanceof Logger logger) {
      logger.setLevel(Level.DEBUG);
    }
  }

  /**
   * {@code Error: <message>}, then the causes that add something, one per line. A stack trace only
   * with {@code --debug}.
   */
  static void printError(PrintWriter err, Throwable error, boolean debug, String... args) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    if (!(error instanceof BackfillException)) {
      message = "unexpected failure: " + message;
    }
    err.println("Error: " + Redaction.hide(message, args));
    Set<Throwable> seen = new HashSet<>();
    int index = 0;
    StringBuilder causes = new StringBuilder();
    for (Throwable cause = error.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
      String text = cause.getMessage();
      // A database error the message already quotes adds nothing.
      String serverText = DbErrors.serverMessage(cause);
      if (text != null && !text.isBlank() && !message.contains(text.strip())
          && !message.contains(serverText)) {
        causes.append(String.format("    %d: %s%n", index++, text.strip()));
      }
    }
    if (causes.length() > 0) {
      err.println();
      err.println("Caused by:");
      err.print(Redaction.hide(causes.toString(), args));
    }
    if (debug) {
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      err.print(Redaction.hide(trace.toString(), args));
    }
    err.flush();
  }
}
