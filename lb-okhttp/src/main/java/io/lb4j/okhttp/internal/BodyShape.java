package io.lb4j.okhttp.internal;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** What an attempt's response body allows: to end the attempt at once, or to read it here. */
final class BodyShape {
  private BodyShape() {}

  /**
   * Whether {@code response} carries no body: OkHttp frees its connection at once, so the attempt
   * must not wait for a close that a caller need not make.
   */
  static boolean isEmpty(Request request, Response response) {
    int code = response.code();
    return code == 204 || code == 304 || "HEAD".equals(request.method())
        || response.body().contentLength() == 0;
  }

  /**
   * Whether reading {@code response}'s whole body into memory ends soon and costs at most
   * {@code limit} bytes: its length is known and small. A body of unknown length (chunked, or
   * until close) may be a stream (a watch, a long poll) that ends much later or never, and so may
   * server-sent events whatever their length.
   */
  static boolean fitsBuffer(Response response, long limit) {
    ResponseBody body = response.body();
    long length = body.contentLength();
    return length >= 0 && length <= limit && !isEventStream(body.contentType());
  }

  private static boolean isEventStream(MediaType type) {
    return type != null && "text".equals(type.type()) && "event-stream".equals(type.subtype());
  }
}
