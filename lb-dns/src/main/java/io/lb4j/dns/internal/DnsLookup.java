package io.lb4j.dns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Sends one DNS query asynchronously (dnsjava's NIO client, no thread of ours waits) and accepts
 * only an answer the source can act on: NOERROR, or NXDOMAIN, which means "no such name" and is an
 * empty answer rather than a failure (a headless Kubernetes service or a Consul service scaled to
 * zero answers so). Any other response code fails the query, so the list stays. A truncated UDP
 * answer (TC bit) is asked again over TCP; if that fails too, the query fails with a message
 * saying so, rather than publishing the partial answer.
 */
public final class DnsLookup {
  private static final Logger log = LoggerFactory.getLogger(DnsLookup.class);

  private final String source;
  private final Resolver udp;
  private final Resolver tcp;
  private final String servers;
  private volatile boolean nameMissing;

  public DnsLookup(String source, List<InetSocketAddress> servers, Duration timeout) {
    this.source = source;
    this.servers = servers.toString();
    this.udp = resolver(servers, timeout, false);
    this.tcp = resolver(servers, timeout, true);
  }

  private static Resolver resolver(List<InetSocketAddress> servers, Duration timeout, boolean tcp) {
    List<Resolver> resolvers = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      SimpleResolver simple = new SimpleResolver(server);
      simple.setTimeout(timeout);
      simple.setTCP(tcp);
      // Truncation is handled in query(), so that a failed TCP retry gets a message that says so.
      simple.setIgnoreTruncation(true);
      resolvers.add(simple);
    }
    if (resolvers.size() == 1) {
      return resolvers.get(0);
    }
    ExtendedResolver extended = new ExtendedResolver(resolvers);
    extended.setTimeout(timeout);
    return extended;
  }

  /** Queries {@code name} for {@code type}; the stage completes on {@code executor}. */
  public CompletionStage<Message> query(Name name, int type, Executor executor) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    return udp.sendAsync(query, executor).thenCompose(response -> {
      if (!response.getHeader().getFlag(Flags.TC)) {
        return CompletableFuture.completedFuture(response);
      }
      return tcp.sendAsync(query, executor).exceptionally(error -> {
        throw new CompletionException(new IOException(name + " " + Type.string(type)
            + " was truncated over UDP and the retry over TCP to " + servers + " failed: "
            + unwrap(error), unwrap(error)));
      });
    }).thenApply(response -> checked(response, name, type));
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private Message checked(Message response, Name name, int type) {
    int rcode = response.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      if (!nameMissing) {
        nameMissing = true;
        log.warn("{}: {} does not exist (NXDOMAIN from {})", source, name, servers);
      }
      return response;
    }
    if (rcode != Rcode.NOERROR) {
      throw new CompletionException(new IOException(Rcode.string(rcode) + " for " + name + " "
          + Type.string(type) + " from " + servers));
    }
    nameMissing = false;
    return response;
  }
}
