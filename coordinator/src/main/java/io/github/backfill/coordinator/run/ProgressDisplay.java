package io.github.backfill.coordinator.run;

import io.github.backfill.common.HumanUnits;
import io.github.backfill.common.task.TaskKind;
import io.github.backfill.common.task.TaskOutcome;
import io.github.backfill.common.task.TaskReport;
import java.io.PrintStream;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run as it goes. Without a terminal: the original's per-chunk lines on stdout
 * ({@code [3/5] Copied chunk ...}). On a terminal: a live bar on stderr with chunks done of all,
 * rows, bytes, throughput and ETA, and only verify's differences on stdout. With {@code --json},
 * nothing until the summary.
 */
public final class ProgressDisplay implements RunListener, AutoCloseable {
  private final TaskKind kind;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean quiet;
  private final PrintStream terminal;
  private final long started = System.nanoTime();
  private ProgressBar bar;
  private long rows;
  private long bytes;

  /**
   * @param terminal the stream for a live bar (stderr on a terminal), or null for per-chunk lines
   * @param quiet print nothing (for {@code --json})
   */
  public ProgressDisplay(TaskKind kind, PrintWriter out, PrintWriter err, PrintStream terminal, boolean quiet) {
    this.kind = kind;
    this.out = out;
    this.err = err;
    this.terminal = quiet ? null : terminal;
    this.quiet = quiet;
  }

  /** The first line, and the bar on a terminal. */
  public void start(int total, int workers) {
    if (quiet) {
      return;
    }
    out.println((kind == TaskKind.COPY ? "Copying " : "Verifying ") + total + " chunks with " + workers + " workers");
    out.flush();
    if (terminal != null && total > 0) {
      bar = new ProgressBarBuilder()
          .setTaskName(kind == TaskKind.COPY ? "Copying" : "Verifying")
          .setInitialMax(total)
          .setUnit(" chunks", 1)
          .setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(terminal))
          .build();
    }
  }

  @Override
  public void taskEnded(TaskReport report, int index, int total) {
    rows += report.rows();
    bytes += report.bytes();
    if (quiet) {
      return;
    }
    if (bar == null) {
      out.println("[" + index + "/" + total + "] " + report.message());
      out.flush();
      return;
    }
    if (report.outcome() == TaskOutcome.DIFFERENT || report.outcome() == TaskOutcome.SOURCE_GONE) {
      out.println("[" + index + "/" + total + "] " + report.message());
      out.flush();
    }
    bar.stepTo(index);
    describe(bytes);
  }

  @Override
  public void moving(long inFlightBytes) {
    if (bar != null) {
      describe(bytes + inFlightBytes);
    }
  }

  private void describe(long movedBytes) {
    double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
    bar.setExtraMessage(
        rows + " rows, " + HumanUnits.bytes(movedBytes) + ", " + HumanUnits.bytes((long) (movedBytes / seconds)) + "/s");
  }

  @Override
  public void stopping() {
    if (!quiet) {
      out.println("Shutting down, waiting for in-progress " + (kind == TaskKind.COPY ? "copies" : "verifications")
          + " to complete...");
      out.flush();
    }
  }

  @Override
  public void nodeLost(String nodeId, int requeued, long sessionsEnded) {
    // Said even with --json: an operator must learn that a node is gone.
    err.println("Lost worker node " + nodeId + "; " + requeued + " of its chunks go back to the queue"
        + (sessionsEnded >= 0 ? " (" + sessionsEnded + " of its sessions on the target ended)." : "."));
    err.flush();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
