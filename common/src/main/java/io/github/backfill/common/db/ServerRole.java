package io.github.backfill.common.db;

/** Which side of the migration a connection belongs to; named in every error about it. */
public enum ServerRole {
  SOURCE("source", "--source"),
  TARGET("target", "--target");

  private final String label;
  private final String flag;

  ServerRole(String label, String flag) {
    this.label = label;
    this.flag = flag;
  }

  /** "source" or "target". */
  public String label() {
    return label;
  }

  /** The command-line flag that carries this server's connection string. */
  public String flag() {
    return flag;
  }

  @Override
  public String toString() {
    return label;
  }
}
