package io.github.backfill.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.backfill.common.BackfillException;
import io.github.backfill.common.ExitCode;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionSettingsTest {
  @Test
  void parsesEveryPartOfAUrl() {
    ConnectionSettings s =
        ConnectionSettings.parse(
            ServerRole.SOURCE,
            "postgresql://tsdbadmin:p%40ss%2Fw:rd@db.example.com:34567/tsdb?sslmode=require"
                + "&application_name=mine&connect_timeout=3&sslrootcert=/etc/ca.pem");
    assertThat(s.user()).isEqualTo("tsdbadmin");
    assertThat(s.password()).contains("p@ss/w:rd");
    assertThat(s.host()).isEqualTo("db.example.com");
    assertThat(s.port()).isEqualTo(34567);
    assertThat(s.database()).isEqualTo("tsdb");
    assertThat(s.sslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(s.applicationName()).isEqualTo("mine");
    assertThat(s.connectTimeoutSeconds()).isEqualTo(3);
    assertThat(s.sslRootCert()).contains("/etc/ca.pem");
  }

  @Test
  void parsesKeyValuePairsWithQuotesAndEscapes() {
    ConnectionSettings s =
        ConnectionSettings.parse(
            ServerRole.TARGET,
            "host=10.0.0.5 port = 6543 dbname='my db' user=o\\'brien password='it''s \\'x\\' \\\\'"
                .replace("''", "\\'"));
    assertThat(s.host()).isEqualTo("10.0.0.5");
    assertThat(s.port()).isEqualTo(6543);
    assertThat(s.database()).isEqualTo("my db");
    assertThat(s.user()).isEqualTo("o'brien");
    assertThat(s.password()).contains("it's 'x' \\");
  }

  @Test
  void appliesLibpqDefaults() {
    ConnectionSettings s = ConnectionSettings.parse(ServerRole.SOURCE, "postgres://alice@dbhost");
    assertThat(s.port()).isEqualTo(5432);
    assertThat(s.database()).isEqualTo("alice");
    assertThat(s.sslMode()).isEqualTo(SslMode.PREFER);
    assertThat(s.password()).isEmpty();
    assertThat(s.applicationName()).isEqualTo("timescaledb-backfill");
  }

  @Test
  void parsesBracketedIpv6Hosts() {
    ConnectionSettings s = ConnectionSettings.parse(ServerRole.SOURCE, "postgres://u@[::1]:5433/d");
    assertThat(s.host()).isEqualTo("::1");
    assertThat(s.port()).isEqualTo(5433);
    assertThat(s.address()).isEqualTo("[::1]:5433");
  }

  @Test
  void urlQueryParametersOverrideTheAuthority() {
    ConnectionSettings s =
        ConnectionSettings.parse(ServerRole.SOURCE, "postgres://u@h:1/d?host=other&port=2&dbname=x");
    assertThat(s.host()).isEqualTo("other");
    assertThat(s.port()).isEqualTo(2);
    assertThat(s.database()).isEqualTo("x");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|invalid connection string for --source: it is empty; give a URL such as postgres://USER@HOST:5432/DB, or key=value pairs such as host=HOST dbname=DB user=USER.",
        "'   '|invalid connection string for --source: it is empty; give a URL such as postgres://USER@HOST:5432/DB, or key=value pairs such as host=HOST dbname=DB user=USER.",
        "postgres://u@h:99999/d|invalid connection string for --source: port \"99999\" is not a number from 1 to 65535.",
        "postgres://u@h:abc/d|invalid connection string for --source: port \"abc\" is not a number from 1 to 65535.",
        "postgres://u@h1,h2/d|invalid connection string for --source: it names several hosts; give exactly one.",
        "postgres://u@h/d?sslmode=maybe|invalid connection string for --source: sslmode \"maybe\" is not valid; use one of disable, allow, prefer, require, verify-ca, verify-full.",
        "postgres://u@h/d?foo=bar|invalid connection string for --source: unknown option \"foo\"; the supported options are host, port, dbname, user, password, sslmode, sslrootcert, sslcert, sslkey, application_name, connect_timeout.",
        "postgres://u@h/d?sslmode=verify-full|invalid connection string for --source: sslmode=verify-full needs sslrootcert=FILE, the certificate of the authority that signed the server's certificate.",
        "postgres://u@h/d?connect_timeout=-1|invalid connection string for --source: connect_timeout \"-1\" is not a number of seconds.",
        "host=h dbname|invalid connection string for --source: \"dbname\" has no value: write key=value pairs such as host=HOST port=5432 dbname=DB user=USER, or a URL such as postgres://USER@HOST:5432/DB.",
        "host=h password='unterminated|invalid connection string for --source: the quoted value of \"password\" has no closing quote; end it with ' and write \\' for a quote inside it.",
        "host=/var/run/postgresql|invalid connection string for --source: host \"/var/run/postgresql\" is a Unix-domain socket directory, which this tool does not support; give a TCP host such as 127.0.0.1.",
        "postgres://u@[::1/d|invalid connection string for --source: the IPv6 host has no closing ']'.",
        "postgres://u@h/d%zz|invalid connection string for --source: it holds a malformed %-escape.",
        "jdbc:postgresql://h/d|invalid connection string for --source: the URL scheme \"jdbc:postgresql\" is not supported; write postgres://USER@HOST:5432/DB (or postgresql://), or key=value pairs such as host=HOST port=5432 dbname=DB user=USER.",
        "http://h/d?sslmode=require|invalid connection string for --source: the URL scheme \"http\" is not supported; write postgres://USER@HOST:5432/DB (or postgresql://), or key=value pairs such as host=HOST port=5432 dbname=DB user=USER.",
        "postgres:/u@h/d|invalid connection string for --source: it is neither a URL nor key=value pairs: write key=value pairs such as host=HOST port=5432 dbname=DB user=USER, or a URL such as postgres://USER@HOST:5432/DB."
      })
  void rejectsMalformedStringsWithExitCode2(String input, String message) {
    assertThatThrownBy(() -> ConnectionSettings.parse(ServerRole.SOURCE, input))
        .isInstanceOfSatisfying(
            BackfillException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgres://u:S3cr3t-Pw@h/d?sslmode=maybe",
        "host=h password=S3cr3t-Pw port=x",
        "postgres://u:S3cr3t-Pw@h/d?bogus=1",
        "mysql://u:S3cr3t-Pw@h/d",
        "postgres:/u:S3cr3t-Pw@h/d",
        "u:S3cr3t-Pw@h/d"
      })
  void neverRepeatsThePasswordInErrors(String input) {
    assertThatThrownBy(() -> ConnectionSettings.parse(ServerRole.TARGET, input))
        .hasMessageNotContaining("S3cr3t-Pw")
        .hasMessageContaining("--target");
  }

  @Test
  void aKeyPgJdbcCannotReadIsAUsageError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path pkcs1 = java.nio.file.Files.writeString(
        dir.resolve("client.key"), "-----BEGIN RSA PRIVATE KEY-----\nS3cr3t\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ConnectionSettings.parse(ServerRole.TARGET, "postgres://u@h/d?sslkey=" + pkcs1))
        .isInstanceOfSatisfying(
            BackfillException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage("invalid connection string for --target: sslkey " + pkcs1 + " is a PEM \"RSA PRIVATE KEY\""
            + " block, which PgJDBC cannot read; convert it once to an unencrypted PKCS#8 key (-----BEGIN"
            + " PRIVATE KEY-----) with openssl pkcs8 -topk8 -nocrypt -in " + pkcs1 + " -out client.pk8.pem,"
            + " and give that.");
    java.nio.file.Path pkcs8 = java.nio.file.Files.writeString(
        dir.resolve("client.pk8.pem"), "-----BEGIN PRIVATE KEY-----\nS3cr3t\n-----END PRIVATE KEY-----\n");
    assertThat(ConnectionSettings.parse(ServerRole.TARGET, "postgres://u@h/d?sslkey=" + pkcs8).sslKey())
        .contains(pkcs8.toString());
  }

  @Test
  void toStringAndDescribeHideThePassword() {
    ConnectionSettings s = ConnectionSettings.parse(ServerRole.SOURCE, "postgres://u:S3cr3t@h:5/d");
    assertThat(s.toString()).doesNotContain("S3cr3t").contains("password=***");
    assertThat(s.describe()).isEqualTo("source server h:5, database \"d\"");
  }

  @Test
  void bothClientsGetTheSameSettings() {
    ConnectionSettings s =
        ConnectionSettings.parse(
            ServerRole.SOURCE,
            "host=db port=7 dbname=d user=u password=p sslmode=verify-full sslrootcert=/ca.pem"
                + " sslcert=/c.pem sslkey=/k.pem connect_timeout=4");
    Properties jdbc = JdbcConnections.properties(s);
    var reactive = ReactiveClients.connectOptions(s);

    assertThat(JdbcConnections.url(s))
        .isEqualTo("jdbc:postgresql://" + reactive.getHost() + ":" + reactive.getPort() + "/" + reactive.getDatabase())
        .isEqualTo("jdbc:postgresql://db:7/d");
    assertThat(jdbc.getProperty("user")).isEqualTo(reactive.getUser());
    assertThat(jdbc.getProperty("password")).isEqualTo(reactive.getPassword());
    assertThat(jdbc.getProperty("sslmode")).isEqualTo(reactive.getSslMode().value).isEqualTo("verify-full");
    assertThat(jdbc.getProperty("sslrootcert")).isEqualTo("/ca.pem");
    assertThat(reactive.getSslOptions().getTrustOptions()).isNotNull();
    assertThat(reactive.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(jdbc.getProperty("ApplicationName"))
        .isEqualTo(reactive.getProperties().get("application_name"))
        .isEqualTo("timescaledb-backfill");
    SessionSettings.all()
        .forEach((name, value) -> assertThat(reactive.getProperties()).containsEntry(name, value));
  }

  @Test
  void jdbcUrlsEscapeOddDatabaseNamesAndIpv6Hosts() {
    ConnectionSettings s =
        ConnectionSettings.parse(ServerRole.SOURCE, "host=::1 port=5 dbname='my db+x/y' user=u");
    assertThat(JdbcConnections.url(s)).isEqualTo("jdbc:postgresql://[::1]:5/my%20db%2Bx%2Fy");
  }

  @Test
  void requireEncryptsWithoutVerifyingLikePgJdbc() {
    ConnectionSettings s = ConnectionSettings.parse(ServerRole.SOURCE, "postgres://u@h/d?sslmode=require");
    var ssl = ReactiveClients.connectOptions(s).getSslOptions();
    assertThat(ssl.isTrustAll()).isTrue();
    assertThat(ssl.getHostnameVerificationAlgorithm()).isEmpty();
  }

  @Test
  void recognisesTheSameDatabase() {
    ConnectionSettings a = ConnectionSettings.parse(ServerRole.SOURCE, "postgres://u@H:5/d");
    ConnectionSettings b = ConnectionSettings.parse(ServerRole.TARGET, "host=h port=5 dbname=d user=v");
    ConnectionSettings c = ConnectionSettings.parse(ServerRole.TARGET, "host=h port=5 dbname=e user=v");
    assertThat(a.sameDatabaseAs(b)).isTrue();
    assertThat(a.sameDatabaseAs(c)).isFalse();
  }
}
