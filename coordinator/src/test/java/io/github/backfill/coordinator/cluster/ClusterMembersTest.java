package io.github.backfill.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterMembersTest {
  @Test
  void membersGivenByNameJoinByAddress() {
    assertThat(Cluster.resolved("localhost:5701")).isEqualTo("127.0.0.1:5701");
    assertThat(Cluster.resolved("10.0.1.11:5701")).isEqualTo("10.0.1.11:5701");
    // Not resolvable (yet): Hazelcast gets the name as given.
    assertThat(Cluster.resolved("no-such-host.invalid:5701")).isEqualTo("no-such-host.invalid:5701");
  }
}
