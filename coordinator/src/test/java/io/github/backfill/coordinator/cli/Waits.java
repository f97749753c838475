package io.github.backfill.coordinator.cli;

import io.vertx.core.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for conditions in tests that drive other processes, and free ports for them. */
public final class Waits {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Waits() {}

  /** The result of {@code future}, waited for from a test thread for up to 120 s. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /** Polls {@code condition} until it holds; fails the test, naming {@code what}, after {@code limit}. */
  static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /**
   * A TCP port of 127.0.0.1 nothing listens on right now, below the kernel's ephemeral range. A port
   * from {@code new ServerSocket(0)} comes from that range, where any outgoing connection (the tests
   * open many) may take it before the process under test binds it.
   */
  static int freePort() {
    int ephemeralLow = ephemeralRangeStart();
    for (int tries = 0; tries < 200; tries++) {
      int port = 10_000 + RANDOM.nextInt(ephemeralLow - 10_000);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException("no free port below " + ephemeralLow);
  }

  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      return Math.max(20_000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException e) {
      return 32_768; // Linux's default
    }
  }
}
