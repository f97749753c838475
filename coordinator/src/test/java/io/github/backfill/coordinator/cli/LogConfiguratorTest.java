package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {
  @Test
  void theJvmsLoggingIsTheConfiguratorsStderrAppender() {
    // Logback found the configurator through META-INF/services, in place of any XML file.
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    var appender = (ConsoleAppender<?>) root.getAppender("STDERR");
    assertThat(appender).isNotNull();
    assertThat(appender.getTarget()).isEqualTo("System.err");
    assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).isEqualTo(LogConfigurator.PATTERN);
    assertThat(context.getLogger("com.hazelcast.cp.CPSubsystem").getLevel()).isEqualTo(Level.ERROR);
  }

  @Test
  void logsOneLinePerEventWithTheExceptionOnIt() {
    LoggerContext context = new LoggerContext();
    LogConfigurator configurator = new LogConfigurator();
    configurator.setContext(context);
    assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger("io.github.backfill").getLevel()).isEqualTo(Level.WARN);

    @SuppressWarnings("unchecked")
    var appender = (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    Logger logger = context.getLogger("io.github.backfill.worker.Slot");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "the copy of {} failed",
        new IllegalStateException("outer", new SQLException("connection reset")), new Object[] {"_hyper_1_1_chunk"});

    String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  i\\.g\\.backfill\\.worker\\.Slot - the copy of"
        + " _hyper_1_1_chunk failed \\(IllegalStateException: outer; caused by SQLException: connection"
        + " reset\\)\n");
  }
}
