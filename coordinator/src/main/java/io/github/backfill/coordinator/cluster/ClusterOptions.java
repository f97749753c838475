package io.github.backfill.coordinator.cluster;

import io.github.backfill.common.BackfillException;
import java.util.Arrays;
import java.util.List;

/**
 * Where a node joins its cluster.
 *
 * @param name the cluster's name: nodes of other names never join, so runs never see each other
 * @param host the address this node binds to and others reach it at (its own interface only)
 * @param port Hazelcast's port on {@code host}
 * @param busPort the event bus's port on {@code host}
 * @param members the {@code host:port} of Hazelcast on the other nodes (TCP join, no multicast)
 * @param busTls TLS with client certificates on the event bus, or null for none
 */
public record ClusterOptions(
    String name, String host, int port, int busPort, List<String> members, BusTls busTls) {
  public static final int DEFAULT_PORT = 5701;
  public static final int DEFAULT_BUS_PORT = 5801;

  /** Checks the flags' values; an error names the flag. */
  public static ClusterOptions of(
      String name, String host, int port, int busPort, String members, BusTls busTls) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw BackfillException.usage(
          "--cluster-name must be 1 to 64 letters, digits, '.', '_' or '-' (starting with a letter or"
              + " digit), the same on every node of one backfill.");
    }
    if (host == null || host.isBlank()) {
      throw BackfillException.usage(
          "--cluster-host is empty: give this node's own address, which the other nodes reach it"
              + " at, such as 10.0.1.11.");
    }
    for (int p : new int[] {port, busPort}) {
      if (p < 1 || p > 65535) {
        throw BackfillException.usage("--cluster-port and --bus-port must be ports from 1 to 65535, not " + p + ".");
      }
    }
    if (port == busPort) {
      throw BackfillException.usage(
          "--cluster-port and --bus-port must differ (both are " + port + "): give one of them"
              + " another port.");
    }
    List<String> list =
        members == null || members.isBlank()
            ? List.of()
            : Arrays.stream(members.split(",")).map(String::strip).filter(m -> !m.isEmpty()).toList();
    for (String member : list) {
      if (!member.matches("[^:\\s]+(:\\d{1,5})?")) {
        throw BackfillException.usage(
            "--members takes host or host:port items separated by commas, not \"" + member + "\".");
      }
    }
    return new ClusterOptions(name, host, port, busPort, list, busTls);
  }
}
