package io.github.backfill.coordinator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, to fail the network under a client: {@link #cut}
 * resets every connection through it and refuses new ones until {@link #restore}, as a server
 * restart or a failover does.
 */
final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress upstream;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  TcpProxy(String host, int upstreamPort) {
    this.upstream = new InetSocketAddress(host, upstreamPort);
    this.server = listen(0);
    this.port = server.getLocalPort();
  }

  int port() {
    return port;
  }

  /** Resets every connection and refuses new ones. */
  synchronized void cut() {
    closeQuietly(server);
    for (Socket socket : sockets) {
      try {
        socket.setSoLinger(true, 0); // a reset, not an orderly close
      } catch (IOException e) {
        // already closed
      }
      closeQuietly(socket);
    }
    sockets.clear();
  }

  /** Accepts connections again, on the same port. */
  synchronized void restore() {
    server = listen(port);
  }

  @Override
  public void close() {
    cut();
  }

  private ServerSocket listen(int onPort) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
      Thread acceptor = new Thread(() -> accept(socket), "proxy-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        try {
          Socket server = new Socket(upstream.getAddress(), upstream.getPort());
          sockets.add(client);
          sockets.add(server);
          pump(client, server);
          pump(server, client);
        } catch (IOException e) {
          closeQuietly(client); // the upstream refused: so does the proxy
        }
      } catch (IOException e) {
        // closed by cut()
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // either side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // nothing to do
    }
  }
}
