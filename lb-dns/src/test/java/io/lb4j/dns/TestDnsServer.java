package io.lb4j.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;

/**
 * A small authoritative DNS server on loopback for tests, speaking the real wire format (dnsjava's
 * codec) over UDP and, optionally, TCP on the same port. The test sets the records per name and
 * switches the server's behaviour: answer, SERVFAIL, stay silent (the client times out), or answer
 * UDP with an empty truncated response (TC bit) so the client must retry over TCP. SRV answers
 * carry the targets' addresses in the additional section, as Consul's DNS interface does. A name
 * without records answers NXDOMAIN with an SOA for negative caching.
 */
final class TestDnsServer implements AutoCloseable {
  static final long NEGATIVE_TTL = 15;

  enum Mode { ANSWER, SERVFAIL, SILENT, TRUNCATE_UDP }

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final AtomicInteger udpQueries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  private volatile Mode mode = Mode.ANSWER;
  private volatile Socket tcpClient;

  private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
    threads.add(daemon("test-dns-udp", this::serveUdp));
    if (tcp != null) {
      threads.add(daemon("test-dns-tcp", this::serveTcp));
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static TestDnsServer start(boolean withTcp) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    IOException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
      if (!withTcp) {
        return new TestDnsServer(udp, null);
      }
      try {
        return new TestDnsServer(udp, new ServerSocket(udp.getLocalPort(), 50, loopback));
      } catch (IOException portTakenForTcp) {
        udp.close();
        last = portTakenForTcp;
      }
    }
    throw last;
  }

  /**
   * A UDP-only server on {@code address} holding {@code previous}'s records: the same server
   * started again after {@link #close()}.
   */
  static TestDnsServer restart(InetSocketAddress address, TestDnsServer previous)
      throws IOException {
    TestDnsServer server = new TestDnsServer(new DatagramSocket(address), null);
    server.records.putAll(previous.records);
    return server;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
  }

  /** From now on {@code name} holds exactly {@code nameRecords} (none: NXDOMAIN). */
  void set(Name name, List<? extends Record> nameRecords) {
    if (nameRecords.isEmpty()) {
      records.remove(name);
    } else {
      records.put(name, List.copyOf(nameRecords));
    }
  }

  /** The records at {@code name}; empty if none. */
  List<Record> recordsAt(Name name) {
    return records.getOrDefault(name, List.of());
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  int udpQueries() {
    return udpQueries.get();
  }

  int tcpQueries() {
    return tcpQueries.get();
  }

  private void serveUdp() {
    byte[] buffer = new byte[4096];
    while (!udp.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        udpQueries.incrementAndGet();
        Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        Message response = switch (mode) {
          case SILENT -> null;
          case SERVFAIL -> error(query, Rcode.SERVFAIL);
          case TRUNCATE_UDP -> truncated(query);
          case ANSWER -> answer(query);
        };
        if (response != null) {
          byte[] wire = response.toWire();
          udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        if (!udp.isClosed()) {
          e.printStackTrace();
        }
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket socket = tcp.accept()) {
        tcpClient = socket;
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        while (true) {
          byte[] wire = new byte[in.readUnsignedShort()];
          in.readFully(wire);
          tcpQueries.incrementAndGet();
          Message query = new Message(wire);
          Message response = mode == Mode.SERVFAIL ? error(query, Rcode.SERVFAIL) : answer(query);
          byte[] answer = response.toWire();
          out.writeShort(answer.length);
          out.write(answer);
          out.flush();
        }
      } catch (EOFException clientDone) {
        // the client closed its connection after its answer
      } catch (IOException e) {
        if (!tcp.isClosed()) {
          e.printStackTrace();
        }
      }
    }
  }

  private Message answer(Message query) {
    Record question = query.getQuestion();
    List<Record> atName = records.get(question.getName());
    if (atName == null) {
      Message response = error(query, Rcode.NXDOMAIN);
      response.addRecord(soa(question.getName()), Section.AUTHORITY);
      return response;
    }
    Message response = error(query, Rcode.NOERROR);
    for (Record record : atName) {
      if (record.getType() == question.getType()) {
        response.addRecord(record, Section.ANSWER);
        if (record instanceof SRVRecord srv) {
          for (Record address : records.getOrDefault(srv.getTarget(), List.of())) {
            response.addRecord(address, Section.ADDITIONAL);
          }
        }
      }
    }
    return response;
  }

  private static Message truncated(Message query) {
    Message response = error(query, Rcode.NOERROR);
    response.getHeader().setFlag(Flags.TC);
    return response;
  }

  private static Message error(Message query, int rcode) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    response.getHeader().setRcode(rcode);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }

  private static SOARecord soa(Name name) {
    try {
      Name zone = new Name(name, Math.max(0, name.labels() - 3));
      return new SOARecord(zone, DClass.IN, 3600, Name.fromString("ns", zone),
          Name.fromString("admin", zone), 1, 3600, 600, 86400, NEGATIVE_TTL);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    udp.close();
    if (tcp != null) {
      try {
        tcp.close();
        Socket client = tcpClient;
        if (client != null) {
          client.close();
        }
      } catch (IOException ignored) {
        // closing
      }
    }
    for (Thread thread : threads) {
      thread.join(5000);
    }
  }
}
