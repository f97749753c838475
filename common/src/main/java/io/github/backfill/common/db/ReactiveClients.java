package io.github.backfill.common.db;

import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/** Builds the reactive (control-plane) client from {@link ConnectionSettings}. */
public final class ReactiveClients {
  private ReactiveClients() {}

  /** Connect options with the session settings sent in the startup packet: no extra round trip. */
  public static PgConnectOptions connectOptions(ConnectionSettings settings) {
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost(settings.host())
            .setPort(settings.port())
            .setDatabase(settings.database())
            .setUser(settings.user())
            .setSslMode(io.vertx.pgclient.SslMode.of(settings.sslMode().value()))
            .setSslOptions(sslOptions(settings));
    settings.password().ifPresent(options::setPassword);
    options.addProperty("application_name", settings.applicationName());
    SessionSettings.all().forEach(options::addProperty);
    return options;
  }

  /**
   * TLS as PgJDBC does it, so that both clients behave alike: {@code require} (and {@code prefer},
   * {@code allow}) encrypt without checking the certificate; {@code verify-ca} checks that it chains
   * to {@code sslrootcert}, and {@code verify-full} also that it names the host.
   */
  static ClientSSLOptions sslOptions(ConnectionSettings settings) {
    ClientSSLOptions ssl = new ClientSSLOptions();
    if (settings.sslMode().verifiesCertificate()) {
      ssl.setTrustOptions(new PemTrustOptions().addCertPath(settings.sslRootCert().orElseThrow()));
    } else {
      ssl.setTrustAll(true);
    }
    ssl.setHostnameVerificationAlgorithm(settings.sslMode() == SslMode.VERIFY_FULL ? "HTTPS" : "");
    if (settings.sslCert().isPresent() && settings.sslKey().isPresent()) {
      ssl.setKeyCertOptions(
          new PemKeyCertOptions()
              .setCertPath(settings.sslCert().get())
              .setKeyPath(settings.sslKey().get()));
    }
    return ssl;
  }

  /** A pool of at most {@code maxSize} connections, with TCP keepalives and the connect timeout. */
  public static Pool pool(Vertx vertx, ConnectionSettings settings, int maxSize) {
    NetClientOptions net =
        new NetClientOptions()
            .setTcpKeepAlive(true)
            .setConnectTimeout(
                (int) TimeUnit.SECONDS.toMillis(Math.max(1, settings.connectTimeoutSeconds())));
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(maxSize))
        .with(net)
        .connectingTo(connectOptions(settings))
        .using(vertx)
        .build();
  }
}
