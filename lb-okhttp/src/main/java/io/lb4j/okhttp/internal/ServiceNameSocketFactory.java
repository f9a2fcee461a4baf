package io.lb4j.okhttp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Wraps a client's SSL socket factory so that a TLS connection to a service's endpoint address
 * sends the service's name as SNI and has the JDK check the certificate against that name during
 * the handshake ({@code HTTPS} endpoint identification). OkHttp layers TLS over a connected socket
 * with {@link #createSocket(Socket, String, int, boolean)}; the other methods delegate unchanged.
 */
public final class ServiceNameSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final ServiceNames names;

  public ServiceNameSocketFactory(SSLSocketFactory delegate, ServiceNames names) {
    this.delegate = delegate;
    this.names = names;
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
      throws IOException {
    String tlsName = names.tlsName(host, port);
    if (tlsName == null) {
      return delegate.createSocket(socket, host, port, autoClose);
    }
    // The peer host given here names the TLS session (resumption, identity check), not the route.
    SSLSocket tls = (SSLSocket) delegate.createSocket(socket, tlsName, port, autoClose);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(tlsName)));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(parameters);
    return tls;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return delegate.createSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return delegate.createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) throws IOException {
    return delegate.createSocket(address, port, localAddress, localPort);
  }
}
