package io.github.backfill.coordinator.cli;

import io.github.backfill.common.BackfillException;
import io.github.backfill.coordinator.cluster.BusTls;
import io.github.backfill.coordinator.cluster.ClusterOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Option;

/** The flags that put a node into a cluster: shared by {@code worker}, {@code copy} and {@code verify}. */
final class ClusterFlags {
  @Option(names = "--cluster-name", paramLabel = "NAME",
      description = "Run across hosts: the cluster to join, the same on the coordinator and every"
          + " worker node of one backfill; nodes with another name never see its work. For copy and"
          + " verify, without it the run stays on this host and opens no port. Default: none.")
  String name;

  @Option(names = "--cluster-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "This node's address: the cluster and the event bus bind to it alone, and the other"
          + " nodes reach this node there. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--cluster-port", paramLabel = "PORT", defaultValue = "" + ClusterOptions.DEFAULT_PORT,
      description = "Hazelcast's port on --cluster-host. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--bus-port", paramLabel = "PORT", defaultValue = "" + ClusterOptions.DEFAULT_BUS_PORT,
      description = "The event bus's port on --cluster-host. Default: ${DEFAULT-VALUE}.")
  int busPort;

  @Option(names = "--members", paramLabel = "HOST:PORT,...",
      description = "Other nodes to join, by their --cluster-host and --cluster-port (TCP join, no"
          + " multicast). Default: none (this node waits for others to join it).")
  String members;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
      description = "Serve Prometheus metrics at http://CLUSTER-HOST:PORT/metrics; 0 serves none, so that"
          + " several nodes on one host never collide. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  /**
   * Where the meters go: Prometheus's registry where --metrics-port serves it, a simple one otherwise
   * (Prometheus's is some 80 classes of start-up work that nothing would read).
   */
  MeterRegistry meterRegistry() {
    return metricsPort == 0 ? new SimpleMeterRegistry() : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  void requireMetricsPort() {
    if (metricsPort < 0 || metricsPort > 65535) {
      throw BackfillException.usage("--metrics-port must be a port from 1 to 65535, or 0 for none.");
    }
  }

  @Option(names = "--bus-tls-cert", paramLabel = "FILE",
      description = "Turn on TLS with client certificates on the event bus: this node's certificate"
          + " (PEM), signed by the authority of --bus-tls-ca. Needs --bus-tls-key and --bus-tls-ca;"
          + " every node of the cluster needs all three. Default: none (the bus runs without TLS).")
  String busTlsCert;

  @Option(names = "--bus-tls-key", paramLabel = "FILE",
      description = "The private key of --bus-tls-cert (PEM, PKCS#8 or PKCS#1, unencrypted)."
          + " Default: none.")
  String busTlsKey;

  @Option(names = "--bus-tls-ca", paramLabel = "FILE",
      description = "The certificate (PEM) of the authority that signs every node's certificate: the"
          + " bus exchanges messages only with nodes that present a certificate it signed."
          + " Default: none.")
  String busTlsCa;

  boolean clustered() {
    return name != null;
  }

  ClusterOptions options() {
    return ClusterOptions.of(
        name, host, port, busPort, members, BusTls.of(busTlsCert, busTlsKey, busTlsCa));
  }

  /** The cluster's options, or null for a run on this host alone, which has no bus to secure. */
  ClusterOptions optionsIfClustered() {
    if (clustered()) {
      return options();
    }
    if (busTlsCert != null || busTlsKey != null || busTlsCa != null) {
      throw BackfillException.usage(
          "--bus-tls-cert, --bus-tls-key and --bus-tls-ca secure the event bus of a cluster and need"
              + " --cluster-name; a run on one host has no bus to secure.");
    }
    return null;
  }
}
