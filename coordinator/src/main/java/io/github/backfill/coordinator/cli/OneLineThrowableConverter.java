package io.github.backfill.coordinator.cli;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.util.HashSet;
import java.util.Set;

/**
 * Logs an exception as one line after the message, {@code (Type: message; caused by Type: message)},
 * with no stack frames: libraries log warnings with exceptions (a bus connection refused by TLS, once
 * a second), and stderr carries no stack traces (the command-line contract). {@code --debug} still
 * prints the stack trace of the error that ends a command.
 */
public final class OneLineThrowableConverter extends ThrowableHandlingConverter {
  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy error = event.getThrowableProxy();
    if (error == null) {
      return "";
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
