package io.github.backfill.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.backfill.common.metrics.BackfillMetrics;
import io.github.backfill.coordinator.cluster.Cluster;
import io.github.backfill.coordinator.cluster.ClusterOptions;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node whose --members names a frozen node (one that accepts TCP connections and never answers,
 * as a stopped process or a paused container does) still joins the live ones, and keeps no thread
 * busy on the frozen one. Seen in the compose deployment: with Hazelcast's plain network
 * configuration, the connection's handshake spun one IO thread at 100% CPU for as long as the peer
 * stayed frozen, the connections sharing that thread starved, and verify's coordinator never joined
 * the last worker (it gave up after Hazelcast's 300 s).
 */
class FrozenMemberIT {
  /** How long the IO threads are watched once joined; a spinning one burns about all of it. */
  private static final long WATCH_MILLIS = 5_000;

  @Test
  void aNodeJoinsTheLiveMembersAndKeepsNoThreadBusyOnAFrozenOne() throws Exception {
    // Accepted by the kernel into the backlog, never read and never answered.
    try (ServerSocket frozen = new ServerSocket(Waits.freePort(), 50, InetAddress.getLoopbackAddress())) {
      String name = "frozen-member-" + ProcessHandle.current().pid();
      int livePort = Waits.freePort();
      Cluster live = Waits.await(Cluster.join(options(name, livePort, ""), BackfillMetrics.none()));
      try {
        long start = System.nanoTime();
        Cluster joining = Waits.await(Cluster.join(
            options(name, Waits.freePort(), "127.0.0.1:" + frozen.getLocalPort() + ",127.0.0.1:" + livePort),
            BackfillMetrics.none()));
        try {
          long joinedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertThat(members(live)).as("members seen by the live node").isEqualTo(2);
          assertThat(members(joining)).as("members seen by the joining node").isEqualTo(2);

          long before = ioThreadsCpuMillis();
          Thread.sleep(WATCH_MILLIS);
          long busy = ioThreadsCpuMillis() - before;
          System.out.printf("joined in %d ms; Hazelcast's IO threads used %d ms of CPU in %d ms%n",
              joinedMillis, busy, WATCH_MILLIS);
          assertThat(busy).as("CPU ms of Hazelcast's IO threads in %d ms", WATCH_MILLIS).isLessThan(WATCH_MILLIS / 2);
        } finally {
          Waits.await(joining.vertx().close());
        }
      } finally {
        Waits.await(live.vertx().close());
      }
    }
  }

  private static int members(Cluster node) {
    return ((VertxInternal) node.vertx()).clusterManager().getNodes().size();
  }

  private static ClusterOptions options(String name, int port, String members) {
    return ClusterOptions.of(name, "127.0.0.1", port, Waits.freePort(), members, null);
  }

  /** CPU time of every Hazelcast IO thread in this JVM (both nodes'), in milliseconds. */
  private static long ioThreadsCpuMillis() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
        .filter(info -> info != null && info.getThreadName().matches("hz\\..*\\.IO\\.thread-(in|out)-\\d+"))
        .mapToLong(ThreadInfo::getThreadId)
        .map(threads::getThreadCpuTime)
        .filter(nanos -> nanos > 0)
        .sum() / 1_000_000;
  }
}
