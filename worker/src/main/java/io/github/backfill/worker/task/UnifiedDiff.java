package io.github.backfill.worker.task;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff laid out as the original prints it (its Rust {@code diffy} crate): two changes
 * share a hunk only when fewer than twice the context lines separate them, where GNU diff also
 * joins them at exactly twice; a range of one line is written without its length. Scripts that
 * read verify's differences see the original's hunks.
 */
final class UnifiedDiff {
  private UnifiedDiff() {}

  /** The lines of the diff, headers first; empty when the texts are the same. */
  static List<String> of(List<String> original, List<String> modified, int context) {
    List<AbstractDelta<String>> deltas = DiffUtils.diff(original, modified).getDeltas();
    List<String> out = new ArrayList<>();
    if (deltas.isEmpty()) {
      return out;
    }
    out.add("--- original");
    out.add("+++ modified");
    int i = 0;
    while (i < deltas.size()) {
      AbstractDelta<String> first = deltas.get(i);
      int oldStart = Math.max(0, first.getSource().getPosition() - context);
      int newStart = Math.max(0, first.getTarget().getPosition() - context);
      List<String> body = new ArrayList<>();
      for (int n = newStart; n < first.getTarget().getPosition(); n++) {
        body.add(" " + modified.get(n));
      }
      AbstractDelta<String> last = first;
      while (true) {
        last.getSource().getLines().forEach(line -> body.add("-" + line));
        last.getTarget().getLines().forEach(line -> body.add("+" + line));
        int oldEnd = sourceEnd(last) + postContext(last, original.size(), modified.size(), context);
        if (i + 1 < deltas.size()) {
          AbstractDelta<String> next = deltas.get(i + 1);
          int nextStart = Math.max(0, Math.min(next.getSource().getPosition(), original.size() - 1) - context);
          if (nextStart < oldEnd) {
            for (int n = targetEnd(last); n < next.getTarget().getPosition(); n++) {
              body.add(" " + modified.get(n));
            }
            last = next;
            i++;
            continue;
          }
        }
        break;
      }
      int after = postContext(last, original.size(), modified.size(), context);
      for (int n = targetEnd(last); n < targetEnd(last) + after; n++) {
        body.add(" " + modified.get(n));
      }
      int oldEnd = sourceEnd(last) + after;
      int newEnd = targetEnd(last) + after;
      out.add("@@ -" + range(oldStart, oldEnd) + " +" + range(newStart, newEnd) + " @@");
      out.addAll(body);
      i++;
    }
    return out;
  }

  private static int postContext(AbstractDelta<String> delta, int originalSize, int modifiedSize, int context) {
    return Math.min(context, Math.min(originalSize - sourceEnd(delta), modifiedSize - targetEnd(delta)));
  }

  private static int sourceEnd(AbstractDelta<String> delta) {
    return delta.getSource().getPosition() + delta.getSource().size();
  }

  private static int targetEnd(AbstractDelta<String> delta) {
    return delta.getTarget().getPosition() + delta.getTarget().size();
  }

  /** A 0-based [start, end) range as 1-based {@code start,len}; an empty one starts at the line before. */
  private static String range(int start, int end) {
    int length = end - start;
    int first = length > 0 ? start + 1 : start;
    return length == 1 ? Integer.toString(first) : first + "," + length;
  }
}
