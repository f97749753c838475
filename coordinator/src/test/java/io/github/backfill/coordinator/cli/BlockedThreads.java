package io.github.backfill.coordinator.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects Vert.x's blocked-thread warnings while it is open: work that held an event loop (or a
 * worker) past Vert.x's limit, which is a bug here.
 */
final class BlockedThreads implements AutoCloseable {
  private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";

  private final Logger logger = (Logger) LoggerFactory.getLogger(CHECKER);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  BlockedThreads() {
    appender.start();
    logger.addAppender(appender);
  }

  /** The warnings so far, one line each. */
  List<String> warnings() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
