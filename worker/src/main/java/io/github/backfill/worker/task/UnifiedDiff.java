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
    for (int i = 0; i < deltas.size(); i++) {
      AbstractDelta<String> first = deltas.get(i);
      int oldStart = Math.max(0, first.getSource().getPosition() - context);
      int newStart = Math.max(0, first.getTarget().getPosition() - context);
      List<String> body = new ArrayList<>();
      contextLines(body, modified, newStart, first.getTarget().getPosition());
      AbstractDelta<String> last = first;
      changedLines(body, last);
      while (i + 1 < deltas.size() && sharesHunk(last, deltas.get(i + 1), original.size(), modified.size(), context)) {
        AbstractDelta<String> next = deltas.get(++i);
        contextLines(body, modified, targetEnd(last), next.getTarget().getPosition());
        changedLines(body, next);
        last = next;
      }
      int after = postContext(last, original.size(), modified.size(), context);
      contextLines(body, modified, targetEnd(last), targetEnd(last) + after);
      out.add("@@ -" + range(oldStart, sourceEnd(last) + after) + " +" + range(newStart, targetEnd(last) + after) + " @@");
      out.addAll(body);
    }
    return out;
  }

  /**
   * Whether {@code next} joins {@code last}'s hunk: its leading context starts before {@code last}'s
   * trailing context ends (fewer than twice the context lines apart).
   */
  private static boolean sharesHunk(
      AbstractDelta<String> last, AbstractDelta<String> next, int originalSize, int modifiedSize, int context) {
    int nextStart = Math.max(0, Math.min(next.getSource().getPosition(), originalSize - 1) - context);
    return nextStart < sourceEnd(last) + postContext(last, originalSize, modifiedSize, context);
  }

  private static void changedLines(List<String> body, AbstractDelta<String> delta) {
    delta.getSource().getLines().forEach(line -> body.add("-" + line));
    delta.getTarget().getLines().forEach(line -> body.add("+" + line));
  }

  /** The lines {@code from} to {@code to} (exclusive) of the modified text, as context. */
  private static void contextLines(List<String> body, List<String> modified, int from, int to) {
    for (int n = from; n < to; n++) {
      body.add(" " + modified.get(n));
    }
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
