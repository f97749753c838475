package io.github.backfill.worker.task;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Relays the source's COPY stream into the target's through one reused buffer: bytes pass through
 * untouched, in writes of about 1 MiB. Memory stays one buffer a pipe whatever the chunk's size;
 * backpressure is the TCP window of the target connection.
 */
final class CopyStream extends OutputStream {
  static final int BUFFER_SIZE = 1 << 20;
  /** Report progress every this many bytes. */
  private static final long PROGRESS_EVERY = 16L << 20;

  private final CopyIn target;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private final ProgressListener progress;
  private int used;
  private long bytes;
  private long rows;
  private long nextProgress = PROGRESS_EVERY;

  CopyStream(CopyIn target, ProgressListener progress) {
    this.target = target;
    this.progress = progress;
  }

  @Override
  public void write(int b) throws IOException {
    if (used == buffer.length) {
      flushBuffer();
    }
    buffer[used++] = (byte) b;
    bytes++;
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    // PgJDBC hands over one row per call; each row is a CopyData message.
    rows++;
    bytes += length;
    if (length >= buffer.length) {
      flushBuffer();
      send(data, offset, length);
    } else {
      if (used + length > buffer.length) {
        flushBuffer();
      }
      System.arraycopy(data, offset, buffer, used, length);
      used += length;
    }
    if (bytes >= nextProgress) {
      nextProgress = bytes + PROGRESS_EVERY;
      progress.progress(rows, bytes);
    }
  }

  @Override
  public void flush() throws IOException {
    flushBuffer();
  }

  private void flushBuffer() throws IOException {
    if (used > 0) {
      send(buffer, 0, used);
      used = 0;
    }
  }

  private void send(byte[] data, int offset, int length) throws IOException {
    try {
      target.writeToCopy(data, offset, length);
    } catch (SQLException e) {
      throw new IOException("writing to the target: " + e.getMessage(), e);
    }
  }

  long bytes() {
    return bytes;
  }
}
