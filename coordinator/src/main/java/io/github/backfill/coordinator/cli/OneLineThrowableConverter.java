package io.github.backfill.coordinator.cli;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Logs an exception as one line after the message, {@code (Type: message; caused by Type: message)},
 * with no stack frames: libraries log warnings with exceptions (a bus connection refused by TLS, once
 * a second), and stderr carries no stack traces (the command-line contract). {@code --debug} still
 * prints the stack trace of the error that ends a command, and {@code BACKFILL_LOG_LEVEL=DEBUG} (or
 * {@code TRACE}) those of logged exceptions.
 */
public final class OneLineThrowableConverter extends ThrowableHandlingConverter {
  private static final boolean STACK_TRACES =
      List.of("DEBUG", "TRACE")
          .contains(
              String.valueOf(System.getenv("BACKFILL_LOG_LEVEL")).strip().toUpperCase(Locale.ROOT));

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy error = event.getThrowableProxy();
    if (error == null) {
      return "";
    }
    if (STACK_TRACES) {
      return System.lineSeparator() + ThrowableProxyUtil.asString(error);
    }
    StringBuilder line = new StringBuilder(" (");
    Set<IThrowableProxy> seen = new HashSet<>();
    for (IThrowableProxy t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t != error) {
        line.append("; caused by ");
      }
      String type = t.getClassName();
      line.append(type.substring(type.lastIndexOf('.') + 1));
      if (t.getMessage() != null) {
        line.append(": ").append(t.getMessage().strip().replace('\n', ' '));
      }
    }
    return line.append(')').toString();
  }
}
