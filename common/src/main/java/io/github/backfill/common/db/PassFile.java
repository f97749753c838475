package io.github.backfill.common.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libpq's password file ({@code PGPASSFILE}, else {@code ~/.pgpass}): lines of
 * {@code hostname:port:database:username:password}, {@code *} matching anything, {@code \:} and
 * {@code \\} escaping. As libpq does, a file that its group or others may read is ignored, with a
 * warning.
 */
final class PassFile {
  private static final Logger LOG = LoggerFactory.getLogger(PassFile.class);
  private static final Set<PosixFilePermission> TOO_OPEN =
      Set.of(
          PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PassFile() {}

  /** Where libpq would look: {@code PGPASSFILE}, else {@code .pgpass} in the home directory. */
  static Path location(Map<String, String> env) {
    String file = env.get("PGPASSFILE");
    return file != null && !file.isBlank() ? Path.of(file) : Path.of(System.getProperty("user.home"), ".pgpass");
  }

  /** The password the file gives for these settings, if it gives one and may be trusted. */
  static Optional<String> lookup(Path file, String host, int port, String database, String user) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream().anyMatch(TOO_OPEN::contains)) {
        LOG.warn("password file \"{}\" has group or world access; permissions should be u=rw (0600) or less;"
            + " it is ignored", file);
        return Optional.empty();
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: libpq does not check there either.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        List<String> fields = fields(line);
        if (fields.size() == 5
            && matches(fields.get(0), host)
            && matches(fields.get(1), Integer.toString(port))
            && matches(fields.get(2), database)
            && matches(fields.get(3), user)) {
          return Optional.of(fields.get(4));
        }
      }
    } catch (IOException e) {
      LOG.warn("password file \"{}\" cannot be read: {}", file, e.getMessage());
    }
    return Optional.empty();
  }

  private static boolean matches(String pattern, String value) {
    return pattern.equals("*") || pattern.equals(value);
  }

  /** Splits on unescaped colons; the last field takes the rest of the line. */
  static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (c == ':' && fields.size() < 4) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
