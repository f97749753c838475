package io.github.backfill.common.db;

import io.github.backfill.common.BackfillException;
import io.vertx.core.Future;

/**
 * {@code --filter} of {@code stage} and {@code refresh-caggs}: a POSIX regular expression that the
 * source server applies with {@code ~*}, so the source server is also the one to check it.
 */
public final class RegexFilter {
  private RegexFilter() {}

  /**
   * Succeeds when {@code filter} is null or a valid regular expression on the source server of
   * {@code source}; else fails with a usage error (exit code 2) quoting the server's reason.
   *
   * @param matchedAgainst what the filter is matched against, for the message, such as
   *     {@code "schema"."table" names}
   */
  public static Future<Void> validate(ReactiveSession source, String filter, String matchedAgainst) {
    if (filter == null) {
      return Future.succeededFuture();
    }
    return source
        .queryRaw(Sql.VALIDATE_FILTER.text(), filter)
        .<Void>mapEmpty()
        .recover(
            e ->
                Future.failedFuture(
                    "2201B".equals(DbErrors.sqlState(e))
                        ? BackfillException.usage(
                            "filter argument '" + filter + "' is not a valid regular expression: "
                                + DbErrors.serverMessage(e) + ". --filter takes a POSIX regular"
                                + " expression, matched case-insensitively against "
                                + matchedAgainst + ".")
                        : DbErrors.translate(source.settings(), "checking the filter", e)));
  }
}
