package io.github.backfill.coordinator.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import io.github.backfill.common.BackfillException;
import io.github.backfill.common.metrics.BackfillMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;

/**
 * A Vert.x instance clustered with Hazelcast, set up to work across hosts: TCP-IP join with explicit
 * members and no multicast; bound to the node's own address only; fixed ports; failure detection in
 * seconds (heartbeats every second, a member silent for 15 s is gone); a partition heals in about
 * 10 s. The clustered event bus only announces work and carries progress: chunks are owned through
 * row locks in PostgreSQL, so what Hazelcast cannot promise under partitions does no harm.
 */
public final class Cluster {
  private final Vertx vertx;
  private final HazelcastClusterManager manager;

  private Cluster(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * This node's name in the cluster and in worker ids: its Hazelcast address, {@code host:port},
   * which operators recognise and which membership events carry.
   */
  public String nodeName() {
    return name(manager.getHazelcastInstance().getCluster().getLocalMember().getAddress());
  }

  /** Calls {@code listener} with the {@link #nodeName} of every member that leaves or is lost. */
  public void onNodeLost(Consumer<String> listener) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        listener.accept(name(event.getMember().getAddress()));
      }
    });
  }

  private static String name(com.hazelcast.cluster.Address address) {
    return address.getHost() + ":" + address.getPort();
  }

  /** Joins (or forms) the cluster. */
  public static Future<Cluster> join(ClusterOptions options, BackfillMetrics metrics) {
    HazelcastClusterManager manager = new HazelcastClusterManager(config(options));
    VertxOptions vertxOptions =
        new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    // Without a host and port, the bus would bind a random port on the first non-loopback address.
    vertxOptions.getEventBusOptions().setHost(options.host()).setPort(options.busPort());
    if (options.busTls() != null) {
      options.busTls().applyTo(vertxOptions.getEventBusOptions());
    }
    return Vertx.builder()
        .with(vertxOptions)
        .withClusterManager(manager)
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .buildClustered()
        .map(vertx -> new Cluster(vertx, manager))
        .recover(
            e ->
                Future.failedFuture(
                    BackfillException.failed(
                        "cannot join cluster \"" + options.name() + "\" at " + options.host() + ":"
                            + options.port() + ": "
                            + String.valueOf(e.getMessage()).replaceFirst("\\.+$", "")
                            + ". Check --cluster-host (an address of this machine), that the ports"
                            + " are free, and --members.",
                        e)));
  }

  /**
   * {@code host:port} with the host name resolved to an address: Hazelcast 5.3 resolves a member
   * given by name but never completes the join with it (tried in containers: the node stays alone),
   * while the member's address works. A name that does not resolve yet is left to Hazelcast.
   */
  static String resolved(String member) {
    int colon = member.lastIndexOf(':');
    String host = colon > 0 ? member.substring(0, colon) : member;
    if (host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":")) {
      return member;
    }
    try {
      return java.net.InetAddress.getByName(host).getHostAddress() + (colon > 0 ? member.substring(colon) : "");
    } catch (java.net.UnknownHostException e) {
      return member;
    }
  }

  static Config config(ClusterOptions options) {
    // ConfigUtil keeps the __vertx.* maps Vert.x needs.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    // A frozen member (a stalled host, `docker pause`) still accepts TCP and never answers. With 5 s
    // here, the members left busy with its removal missed each other's heartbeats: in the compose
    // test (one worker killed and one frozen at once) the coordinator and the last worker split in 2
    // of 3 tries, and their merge waited for the frozen member. With 15 s, 10 tries: no split; in two
    // the next command (verify) took over 90 s to join. (Shorter timeouts for the mastership claim,
    // 10 s, and for calls, 15 s, showed no gain there, and a coordinator of scripts/bench-scale then
    // failed to join 8 loaded workers: Hazelcast's defaults, 120 s and 60 s, stay.)
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
    // How long the master collects join requests before it answers them (default 5 s). A joiner
    // asks for 5 s, then claims mastership itself, which waits 10 s for every member it names, a
    // frozen one too: with 5 s, a new node joined in 17 s with a frozen member in --members (7 s
    // without); with 1 s, in 3 s either way.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // 23 partitions, not Hazelcast's 271: the maps hold only the event bus's bookkeeping, and each
    // join or leave migrates partitions, work of the master over its own link. In
    // scripts/bench-scale (links capped at 0.2 MB/s), with 271 the master worker started late and
    // copied at half rate: 8 workers' efficiency 0.30 to 0.76 in 5 runs; with 23, 0.69 and 0.78.
    // Every node of a cluster must use the same count (Hazelcast refuses a join otherwise).
    config.setProperty("hazelcast.partition.count", "23");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    // A node that leaves hands its partitions over first, by default for up to 600 s: over slow
    // links (scripts/bench-scale's capped ones) a coordinator took 10 minutes to exit after its copy.
    // The cluster's maps hold only Vert.x's event-bus bookkeeping (the tasks live in __backfill), so
    // a quick leave loses nothing.
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    // The advanced network configuration, with only the member endpoint: its handshake waits
    // blocked for a peer's answer. With the plain one, a connection to a peer that accepts TCP and
    // never answers (a frozen process) spins one IO thread at 100% CPU until the peer wakes or
    // dies, and the other connections of that thread starve: a new node whose --members named a
    // frozen worker never joined (compose test, run 2).
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    ServerSocketEndpointConfig endpoint = new ServerSocketEndpointConfig();
    endpoint.setPort(options.port()).setPortAutoIncrement(false);
    endpoint.setPublicAddress(options.host() + ":" + options.port());
    endpoint.getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(options.host()));
    network.setMemberEndpointConfig(endpoint);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    java.util.List<String> members = new java.util.ArrayList<>(options.members().stream().map(Cluster::resolved).toList());
    members.add(options.host() + ":" + options.port());
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return config;
  }
}
