package io.lb4j.okhttp.internal;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSession;

/**
 * The client's hostname verifier, asked about the service's name instead of the endpoint address
 * for connections to a service's endpoints (the handshake already checked it; this is OkHttp's
 * own check, kept rather than skipped). Other hosts are verified as the client would.
 */
public final class ServiceNameVerifier implements HostnameVerifier {
  private final HostnameVerifier delegate;
  private final ServiceNames names;

  public ServiceNameVerifier(HostnameVerifier delegate, ServiceNames names) {
    this.delegate = delegate;
    this.names = names;
  }

  @Override
  public boolean verify(String host, SSLSession session) {
    String tlsName = names.tlsName(host, session.getPeerPort());
    return delegate.verify(tlsName == null ? host : tlsName, session);
  }
}
