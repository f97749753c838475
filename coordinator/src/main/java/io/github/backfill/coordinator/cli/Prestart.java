package io.github.backfill.coordinator.cli;

import io.vertx.core.Vertx;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.slf4j.LoggerFactory;

/**
 * What a command that talks to the servers needs first, started on other threads while picocli
 * reads the command line (docs/benchmarks.md, "Start-up"): the Vert.x instance (about 0.3 s of a cold
 * JVM) and the compiled code of the SCRAM login's hash (PBKDF2, 4,096 rounds of HMAC-SHA256, about
 * 0.1 s while interpreted, and each login runs it). Only {@link Main#main} starts it, for a command
 * that runs on a Vert.x instance of its own: not for help, the version, {@code worker} or a clustered
 * run, whose instance Hazelcast makes. The commands take the instance through {@link #vertx}, which
 * makes a new one when none was started or it was taken already (tests call {@link Main#execute}).
 */
final class Prestart {
  private static final List<String> HELP = List.of("-h", "--help", "-V", "--version");
  private static final AtomicReference<CompletableFuture<Vertx>> STARTED = new AtomicReference<>();

  private Prestart() {}

  /** Starts the instance and the hash's warm-up when {@code args} run such a command. */
  static void begin(String[] args) {
    Class<?> command = Main.commandNamed(args);
    if (command == null || command == WorkerCommand.class || clusteredOrHelp(args)) {
      return;
    }
    // Logging first, on this thread: SLF4J set up by two threads at once buffers what they log in
    // the meantime and warns on stderr that it replayed it.
    LoggerFactory.getILoggerFactory();
    STARTED.set(CompletableFuture.supplyAsync(Vertx::vertx, Prestart::daemon));
    daemon(Prestart::hashOnce);
  }

  /** The instance {@link #begin} started, once; otherwise a new one. */
  static Vertx vertx() {
    CompletableFuture<Vertx> started = STARTED.getAndSet(null);
    return started == null ? Vertx.vertx() : started.join();
  }

  /** Whether an instance that {@link #begin} started waits to be taken. */
  static boolean pending() {
    return STARTED.get() != null;
  }

  private static boolean clusteredOrHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("--cluster-name") || arg.startsWith("--cluster-name=") || HELP.contains(arg)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One SCRAM-SHA-256 hash of a password that is none of the user's, through the same JDK provider
   * the clients' SCRAM library uses: by the time the logins run it, its loops are compiled.
   */
  static void hashOnce() {
    // SASLprep, which the login applies to the password first, reads the JDK's Unicode tables.
    Normalizer.normalize("warm-up", Normalizer.Form.NFKC);
    try {
      SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec("warm-up".toCharArray(), new byte[16], 4096, 256))
          .getEncoded();
    } catch (GeneralSecurityException | RuntimeException e) {
      // Only a warm-up: the logins hash as they would have without it.
    }
  }

  private static void daemon(Runnable work) {
    Thread thread = new Thread(work, "backfill-prestart");
    thread.setDaemon(true);
    thread.start();
  }
}
