package io.github.backfill.coordinator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The tool's version, from the build. */
public final class Version implements IVersionProvider {
  private static final String VERSION = load();

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("/backfill-version.properties")) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String version() {
    return VERSION;
  }

  /** The first line every command prints, as the original does: {@code timescaledb-backfill v0.1.0}. */
  public static String banner() {
    return "timescaledb-backfill v" + VERSION;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"timescaledb-backfill " + VERSION};
  }
}
