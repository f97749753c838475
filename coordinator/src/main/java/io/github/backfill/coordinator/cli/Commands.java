package io.github.backfill.coordinator.cli;

import io.github.backfill.common.BackfillException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Runs one phase on a Vert.x instance and waits for its result, then closes the instance. */
final class Commands {
  private Commands() {}

  /** On a non-clustered instance of its own (see {@link Prestart}): a local event bus, no ports. */
  static <T> T run(Function<Vertx, Future<T>> phase) {
    return run(Future.succeededFuture(Prestart.vertx()), phase);
  }

  /** On the instance {@code vertx} will give, such as a clustered one. */
  static <T> T run(Future<Vertx> vertx, Function<Vertx, Future<T>> phase) {
    Vertx instance = await(vertx);
    try {
      return await(phase.apply(instance));
    } finally {
      instance.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BackfillException.failed("interrupted", e);
    }
  }
}
