package io.lb4j.okhttp.internal;

import io.lb4j.core.Endpoint;
import java.net.UnknownHostException;

/**
 * An attempt that could not reach its endpoint's address: the name does not resolve, or OkHttp
 * cannot carry the host in a URL as it is (see {@link EndpointUrls}). Nothing was sent, so another
 * endpoint may take the call whatever its method. An {@link UnknownHostException}, as the
 * resolver's own failure is, so that callers catching that type keep catching it; the message
 * names the service, the endpoint and the reason, the cause is the original failure.
 */
public final class UnaddressableEndpointException extends UnknownHostException {
  UnaddressableEndpointException(String service, Endpoint endpoint, String reason,
      Throwable cause) {
    super("service '" + service + "': endpoint " + endpoint.id() + " cannot be addressed: "
        + reason);
    initCause(cause);
  }
}
