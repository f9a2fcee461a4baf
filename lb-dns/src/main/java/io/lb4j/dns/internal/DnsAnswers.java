package io.lb4j.dns.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.RegistryAnswer;
import io.lb4j.dns.DnsServerList;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns successful DNS responses into a {@link RegistryAnswer}: the DNS-specific rules live here,
 * the outage, readiness and empty-answer rules in the base class.
 */
public final class DnsAnswers {
  private final String source;
  private final TtlBounds ttl;

  public DnsAnswers(String source, TtlBounds ttl) {
    this.source = source;
    this.ttl = ttl;
  }

  /**
   * Endpoints from the A/AAAA records of {@code responses}, all on {@code port}, weight 1, sorted
   * by address so that a server rotating its answers does not look like a change.
   */
  public RegistryAnswer addresses(List<Message> responses, int port) {
    List<InetAddress> addresses = new ArrayList<>();
    long minTtl = Long.MAX_VALUE;
    for (Message response : responses) {
      for (Record record : response.getSection(Section.ANSWER)) {
        InetAddress address = addressOf(record);
        if (address != null) {
          addresses.add(address);
          minTtl = Math.min(minTtl, record.getTTL());
        }
      }
    }
    addresses.sort(Comparator.comparing(InetAddress::getHostAddress));
    RegistryAnswer.Builder answer = RegistryAnswer.builder(source);
    for (InetAddress address : addresses) {
      String host = address.getHostAddress();
      answer.add(host + " port " + port, () -> Endpoint.of(host, port));
    }
    return answer.refreshAfter(refreshAfter(minTtl, responses)).build();
  }

  /**
   * Endpoints from the SRV records of {@code response} (RFC 2782): only the records of the lowest
   * priority are used; a record's weight becomes the endpoint's weight, 0 mapping to the minimum 1
   * and weights above {@link Endpoint#MAX_WEIGHT} scaled down in proportion; a target of "."
   * means "no service here" and is left out; an address for the target in the additional section
   * becomes the endpoint's host (else the target name itself, resolved by the HTTP client).
   */
  public RegistryAnswer srv(Message response) {
    List<SRVRecord> records = new ArrayList<>();
    long minTtl = Long.MAX_VALUE;
    int lowestPriority = Integer.MAX_VALUE;
    for (Record record : response.getSection(Section.ANSWER)) {
      if (record instanceof SRVRecord srv) {
        records.add(srv);
        minTtl = Math.min(minTtl, srv.getTTL());
        if (!srv.getTarget().equals(Name.root)) {
          lowestPriority = Math.min(lowestPriority, srv.getPriority());
        }
      }
    }
    Map<Name, Record> addresses = additionalAddresses(response);
    int maxWeight = 0;
    for (SRVRecord record : records) {
      maxWeight = Math.max(maxWeight, record.getWeight());
    }
    records.sort(Comparator.comparing((SRVRecord r) -> r.getTarget().toString())
        .thenComparingInt(SRVRecord::getPort));
    RegistryAnswer.Builder answer = RegistryAnswer.builder(source);
    for (SRVRecord record : records) {
      if (record.getPriority() != lowestPriority || record.getTarget().equals(Name.root)) {
        continue;
      }
      Record address = addresses.get(record.getTarget());
      if (address != null) {
        minTtl = Math.min(minTtl, address.getTTL());
      }
      int weight = scaledWeight(record.getWeight(), maxWeight);
      answer.add(describe(record), () -> endpoint(record, address, weight));
    }
    return answer.refreshAfter(refreshAfter(minTtl, List.of(response))).build();
  }

  private static Endpoint endpoint(SRVRecord record, Record address, int weight) {
    String target = record.getTarget().toString(true);
    String host = address != null ? addressOf(address).getHostAddress() : target;
    return Endpoint.builder(host, record.getPort()).weight(weight)
        .metadata(DnsServerList.TARGET_METADATA, target).build();
  }

  static int scaledWeight(int srvWeight, int maxWeight) {
    if (maxWeight <= Endpoint.MAX_WEIGHT) {
      return Math.max(1, srvWeight);
    }
    return (int) Math.max(1, Math.round((double) srvWeight * Endpoint.MAX_WEIGHT / maxWeight));
  }

  private static String describe(SRVRecord record) {
    return "SRV " + record.getPriority() + " " + record.getWeight() + " " + record.getPort() + " "
        + record.getTarget();
  }

  private static Map<Name, Record> additionalAddresses(Message response) {
    Map<Name, Record> byName = new HashMap<>();
    for (Record record : response.getSection(Section.ADDITIONAL)) {
      if (addressOf(record) != null) {
        byName.putIfAbsent(record.getName(), record);
      }
    }
    return byName;
  }

  private static InetAddress addressOf(Record record) {
    if (record instanceof ARecord a) {
      return a.getAddress();
    }
    if (record instanceof AAAARecord aaaa) {
      return aaaa.getAddress();
    }
    return null;
  }

  /**
   * The smallest TTL of the records used; for an answer without records, the negative-caching TTL
   * of the SOA in the authority section (RFC 2308), else the lower bound.
   */
  private java.time.Duration refreshAfter(long minTtl, List<Message> responses) {
    if (minTtl != Long.MAX_VALUE) {
      return ttl.clamp(minTtl);
    }
    long negative = Long.MAX_VALUE;
    for (Message response : responses) {
      for (Record record : response.getSection(Section.AUTHORITY)) {
        if (record.getType() == Type.SOA) {
          negative = Math.min(negative, Math.min(record.getTTL(), ((SOARecord) record).getMinimum()));
        }
      }
    }
    return negative == Long.MAX_VALUE ? ttl.min() : ttl.clamp(negative);
  }
}
