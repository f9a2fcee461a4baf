package io.lb4j.okhttp.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Holds an attempt's outcome until its body ends in the caller's hands: read to the end or closed
 * by the caller is the endpoint's success, a read that fails (a body cut off mid-way) its failure.
 * Exactly one of them is reported, once, from whichever thread ends the body.
 */
final class BodyOutcome extends ForwardingSource {
  /** Receives the outcome; {@code failure} is null for a success. */
  interface Listener {
    void bodyEnded(IOException failure);
  }

  private final Listener listener;
  private final AtomicBoolean ended = new AtomicBoolean();

  private BodyOutcome(ResponseBody body, Listener listener) {
    super(body.source());
    this.listener = listener;
  }

  /** {@code response} with a body that reports to {@code listener} when it ends. */
  static Response watch(Response response, Listener listener) {
    ResponseBody body = response.body();
    BodyOutcome watched = new BodyOutcome(body, listener);
    ResponseBody wrapped = ResponseBody.create(Okio.buffer(watched), body.contentType(),
        body.contentLength());
    return response.newBuilder().body(wrapped).build();
  }

  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    long read;
    try {
      read = super.read(sink, byteCount);
    } catch (IOException e) {
      end(e);
      throw e;
    }
    if (read == -1) {
      end(null);
    }
    return read;
  }

  @Override
  public void close() throws IOException {
    // Closed before the end: the caller read what it wanted, the endpoint did nothing wrong.
    end(null);
    super.close();
  }

  private void end(IOException failure) {
    if (ended.compareAndSet(false, true)) {
      listener.bodyEnded(failure);
    }
  }
}
