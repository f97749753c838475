package io.github.backfill.coordinator.stage;

import java.util.List;

/**
 * How batches are shaped: what TimescaleDB segments and orders them by. Compressed batches are copied
 * as they are, so a source chunk's settings must equal those of the target chunk that receives them.
 */
public record CompressionSettings(
    List<String> segmentby, List<String> orderby, List<Boolean> orderbyDesc, List<Boolean> orderbyNullsfirst) {

  /** In the original's words: {@code CompressionSettings { segmentby: [...], ... }}. */
  @Override
  public String toString() {
    return "CompressionSettings { segmentby: " + segmentby + ", orderby: " + orderby
        + ", orderby_desc: " + orderbyDesc + ", orderby_nullsfirst: " + orderbyNullsfirst + " }";
  }
}
