package io.github.backfill.common.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Finds a statement's file on the classpath: {@code DIR/NAME.sql} when it means the same on every
 * supported TimescaleDB release, else the variant that serves the release, {@code DIR/NAME.2.M.sql}
 * with the greatest M not above the release's minor version. {@link Sql} keeps the tool's statements
 * this way; the tests keep their own catalog queries the same way.
 */
public final class SqlVariants {
  private SqlVariants() {}

  /** Whether {@code dir/name} has variants rather than one file. */
  public static boolean hasVariants(String dir, String name) {
    return resource(plain(dir, name)) == null;
  }

  /** The one file of a statement without variants. */
  public static String plainText(String dir, String name) {
    return load(plain(dir, name));
  }

  /** The text serving {@code version}: the plain file, or the variant for its release. */
  public static String text(String dir, String name, TimescaleVersion version) {
    if (!hasVariants(dir, name)) {
      return plainText(dir, name);
    }
    for (int m = version.minor(); m >= TimescaleVersion.OLDEST.minor(); m--) {
      String path = variant(dir, name, m);
      if (resource(path) != null) {
        return load(path);
      }
    }
    throw new IllegalStateException("no variant of " + dir + "/" + name + " serves TimescaleDB " + version);
  }

  static String plain(String dir, String name) {
    return dir + "/" + name + ".sql";
  }

  static String variant(String dir, String name, int minor) {
    return dir + "/" + name + "." + TimescaleVersion.OLDEST.major() + "." + minor + ".sql";
  }

  private static java.net.URL resource(String path) {
    return SqlVariants.class.getClassLoader().getResource(path);
  }

  private static String load(String path) {
    try (InputStream in = SqlVariants.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
