package io.github.backfill.common;

/** The process exit codes of the command-line contract. */
public enum ExitCode {
  /** Success, also a copy or verify stopped by a first SIGINT after finishing its in-flight chunks. */
  OK(0),
  /** The operation failed: a database error, a chunk that cannot be copied, a lost connection. */
  FAILED(1),
  /** Bad usage or bad input, found before anything was written. */
  USAGE(2),
  /** {@code verify} found differences. */
  DIFFERENCES(3),
  /** Stopped at once by a second SIGINT; in-flight chunks rolled back. */
  INTERRUPTED(130);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
