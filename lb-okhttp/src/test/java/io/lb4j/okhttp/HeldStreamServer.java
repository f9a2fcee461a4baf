package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okio.BufferedSource;

/**
 * A raw loopback server that answers each request with its headers and the first part of a body,
 * then holds the rest back until {@link #release()}: a stream (watch, long poll, server-sent
 * events) as a client sees it.
 */
final class HeldStreamServer implements AutoCloseable {
  static final String FIRST = "first";

  private final ServerSocket socket;
  private final String head;
  private final String rest;
  private final CountDownLatch released = new CountDownLatch(1);

  /**
   * @param head the status line and headers, ending with the blank line
   * @param rest what follows {@link #FIRST} once released, encoded as {@code head} says
   */
  private HeldStreamServer(String head, String firstEncoded, String rest) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.head = head + firstEncoded;
    this.rest = rest;
    Thread acceptor = new Thread(this::acceptAll, "held-stream-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Chunked, of unknown length: {@link #FIRST}, then nothing more once released. */
  static HeldStreamServer chunked(String contentType) throws IOException {
    return new HeldStreamServer("HTTP/1.1 200 OK\r\nContent-Type: " + contentType
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        Integer.toHexString(FIRST.length()) + "\r\n" + FIRST + "\r\n", "0\r\n\r\n");
  }

  /** Of a known, small length: {@link #FIRST}, then {@code more} once released. */
  static HeldStreamServer fixedLength(String contentType, String more) throws IOException {
    return new HeldStreamServer("HTTP/1.1 200 OK\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + (FIRST.length() + more.length())
        + "\r\nConnection: close\r\n\r\n", FIRST, more);
  }

  /** Reads {@link #FIRST}, the part of the body sent before {@link #release()}. */
  static void readFirst(BufferedSource body) throws IOException {
    assertThat(body.readUtf8(FIRST.length())).isEqualTo(FIRST);
  }

  /**
   * Cancels {@code call} while another thread reads the rest of its {@code body}, held back for
   * 30 s, and returns what that read threw: only the cancel can end it within 10 s.
   */
  static Throwable cancelDuringRead(Call call, BufferedSource body) throws Exception {
    CompletableFuture<Throwable> read =
        CompletableFuture.supplyAsync(() -> catchThrowable(body::readUtf8));
    call.cancel();
    return read.get(10, TimeUnit.SECONDS);
  }

  Endpoint endpoint() {
    return Endpoint.of(socket.getInetAddress().getHostAddress(), socket.getLocalPort());
  }

  void release() {
    released.countDown();
  }

  private void acceptAll() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        Thread answer = new Thread(() -> answer(connection), "held-stream-answer");
        answer.setDaemon(true);
        answer.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void answer(Socket connection) {
    try (connection) {
      readRequestHead(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (released.await(30, TimeUnit.SECONDS)) {
        out.write(rest.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The client went away, or the test ended: nothing to answer.
    }
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Override
  public void close() throws IOException {
    release();
    socket.close();
  }
}
