package io.github.backfill.coordinator.cluster;

import io.github.backfill.common.BackfillException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.micrometer.PrometheusRequestHandler;

/** Serves a node's metrics in Prometheus form at {@code http://HOST:PORT/metrics}. */
public final class MetricsServer {
  private MetricsServer() {}

  public static Future<HttpServer> start(Vertx vertx, PrometheusMeterRegistry registry, String host, int port) {
    var handler = PrometheusRequestHandler.create(registry);
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> {
              if ("/metrics".equals(request.path())) {
                handler.handle(request);
              } else {
                request.response().setStatusCode(404).end("metrics are at /metrics\n");
              }
            })
        .listen(port, host)
        .recover(
            e ->
                Future.failedFuture(
                    BackfillException.failed(
                        "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage()
                            + ". Choose another --metrics-port, or 0 for none.",
                        e)));
  }
}
