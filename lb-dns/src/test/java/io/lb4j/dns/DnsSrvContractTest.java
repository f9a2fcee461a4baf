package io.lb4j.dns;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.dns.TestDnsServer.Mode;
import io.lb4j.testkit.DiscoverySourceContract;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;

/** The discovery contract for SRV lookups, against a real DNS server over UDP on loopback. */
class DnsSrvContractTest extends DiscoverySourceContract {
  static final Name SERVICE = Name.fromConstantString("_http._tcp.orders.test.");

  @Override
  protected Registry startRegistry() throws IOException {
    return new DnsRegistry(TestDnsServer.start(false));
  }

  @Override
  protected DiscoveryServerList newSource(Registry registry, DiscoveryOptions options) {
    return DnsServerList.srv(SERVICE.toString()).servers(((DnsRegistry) registry).server.address())
        .options(options).build();
  }

  @Override
  protected Endpoint expectedEndpoint(Instance instance) {
    return super.expectedEndpoint(instance).toBuilder()
        .metadata(DnsServerList.TARGET_METADATA, target(instance).toString(true)).build();
  }

  static Name target(Instance instance) {
    return Name.fromConstantString("node-" + instance.host().replace('.', '-') + ".orders.test.");
  }

  static final class DnsRegistry implements Registry {
    final TestDnsServer server;

    DnsRegistry(TestDnsServer server) {
      this.server = server;
    }

    @Override
    public void register(List<Instance> instances) throws IOException {
      List<Record> srv = new ArrayList<>();
      for (Instance instance : instances) {
        srv.add(new SRVRecord(SERVICE, DClass.IN, 30, 10, instance.weight(), instance.port(),
            target(instance)));
        server.set(target(instance), List.of(new ARecord(target(instance), DClass.IN, 30,
            InetAddress.getByName(instance.host()))));
      }
      server.set(SERVICE, srv);
    }

    @Override
    public void registerWithOneMalformedEntry(List<Instance> instances) throws IOException {
      register(instances);
      List<Record> srv = new ArrayList<>(server.recordsAt(SERVICE));
      srv.add(new SRVRecord(SERVICE, DClass.IN, 30, 10, 5, 0,
          Name.fromConstantString("port-zero.orders.test.")));
      server.set(SERVICE, srv);
    }

    @Override
    public void breakDown() {
      server.mode(Mode.SERVFAIL);
    }

    @Override
    public void recover() {
      server.mode(Mode.ANSWER);
    }

    @Override
    public void close() throws InterruptedException {
      server.close();
    }
  }
}
