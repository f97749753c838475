package io.github.backfill.coordinator.cli;

import io.github.backfill.common.BackfillException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Runs one phase on a fresh, non-clustered Vert.x instance and waits for its result. */
final class Commands {
  private Commands() {}

  static <T> T run(Function<Vertx, Future<T>> phase) {
    Vertx vertx = Vertx.vertx();
    try {
      return phase.apply(vertx).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BackfillException.failed("interrupted", e);
    } finally {
      vertx.close();
    }
  }
}
