package io.github.backfill.common;

import java.util.Objects;

/**
 * The one exception type of the tool: a message a user can act on and the exit code it maps to. Its
 * message never holds a password; database errors are translated into one at the boundary where they
 * happen (see {@link io.github.backfill.common.db.DbErrors}).
 */
public class BackfillException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public BackfillException(ExitCode exitCode, String message) {
    this(exitCode, message, null);
  }

  public BackfillException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = Objects.requireNonNull(exitCode);
  }

  /** Bad usage or input found before anything was written: exit code 2. */
  public static BackfillException usage(String message) {
    return new BackfillException(ExitCode.USAGE, message);
  }

  /** An operation that failed: exit code 1. */
  public static BackfillException failed(String message, Throwable cause) {
    return new BackfillException(ExitCode.FAILED, message, cause);
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
