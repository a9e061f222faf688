package dev.qflux.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Tools;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server run by a test: NSD (authoritative, from zone files) or Unbound (recursive, in
 * front of stub zones). Bound to 127.0.0.1 on a port picked at run time, run in the foreground
 * ({@code -d}) and stopped by its PID.
 */
public final class DnsPeer implements AutoCloseable {
    /** Start-up allowance; NSD reads its zones before it answers. Generous for a busy machine. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);

    private final ExternalProcess process;
    private final int port;

    private DnsPeer(ExternalProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * NSD serving {@code zones} (zone name to zone file text) from {@code dir}. NSD does not
     * change user or root here, so it runs as whoever runs the test.
     */
    public static DnsPeer nsd(Path dir, java.util.Map<String, String> zones) {
        String nsd = Tools.require("nsd");
        int port = freePort();
        StringBuilder conf = new StringBuilder("""
                server:
                  ip-address: 127.0.0.1
                  port: %d
                  do-ip6: no
                  username: ""
                  chroot: ""
                  zonesdir: "%s"
                  database: ""
                  pidfile: "%s/nsd.pid"
                  xfrdfile: "%s/xfrd.state"
                  zonelistfile: "%s/zone.list"
                  server-count: 1
                  verbosity: 1
                remote-control:
                  control-enable: no
                """.formatted(port, dir, dir, dir, dir));
        zones.forEach((zone, text) -> {
            write(dir.resolve(zone + ".zone"), text);
            conf.append("zone:\n  name: \"").append(zone).append("\"\n  zonefile: \"")
                    .append(dir.resolve(zone + ".zone")).append("\"\n");
        });
        Path confFile = write(dir.resolve("nsd.conf"), conf.toString());
        ExternalProcess p = ExternalProcess.start("nsd", dir, List.of(nsd, "-d", "-c", confFile.toString()));
        DnsPeer peer = new DnsPeer(p, port);
        peer.awaitAnswering(zones.keySet().iterator().next());
        return peer;
    }

    /**
     * Unbound resolving through {@code stubs} (zone name to the server holding it). The root is a
     * stub to {@code deadRoot} so that nothing ever leaves 127.0.0.1.
     */
    static DnsPeer unbound(Path dir, java.util.Map<String, InetSocketAddress> stubs, InetSocketAddress deadRoot,
                           String probeZone) {
        String unbound = Tools.require("unbound");
        int port = freePort();
        StringBuilder conf = new StringBuilder("""
                server:
                  interface: 127.0.0.1
                  port: %d
                  do-ip6: no
                  do-daemonize: no
                  username: ""
                  chroot: ""
                  directory: "%s"
                  pidfile: "%s/unbound.pid"
                  use-syslog: no
                  logfile: ""
                  access-control: 127.0.0.0/8 allow
                  # The stub servers live on 127.0.0.1, which Unbound refuses to ask by default.
                  do-not-query-localhost: no
                  # No DNSSEC validation: the test zones are unsigned and there is no trust anchor.
                  module-config: "iterator"
                  num-threads: 1
                  verbosity: 1
                  qname-minimisation: no
                  # RFC 6761 names are answered locally by default; these tests serve test. themselves.
                  local-zone: "test." nodefault
                remote-control:
                  control-enable: no
                stub-zone:
                  name: "."
                  stub-addr: %s@%d
                """.formatted(port, dir, dir, deadRoot.getAddress().getHostAddress(), deadRoot.getPort()));
        stubs.forEach((zone, server) -> conf.append("stub-zone:\n  name: \"").append(zone)
                .append("\"\n  stub-addr: ").append(server.getAddress().getHostAddress()).append('@')
                .append(server.getPort()).append('\n'));
        Path confFile = write(dir.resolve("unbound.conf"), conf.toString());
        ExternalProcess p = ExternalProcess.start("unbound", dir, List.of(unbound, "-d", "-c", confFile.toString()));
        DnsPeer peer = new DnsPeer(p, port);
        peer.awaitAnswering(probeZone);
        return peer;
    }

    /** Waits until an SOA query for {@code zone} gets any answer (on the test thread; blocking is fine here). */
    private void awaitAnswering(String zone) {
        process.awaitCondition(READY_WITHIN, () -> {
            try {
                SimpleResolver probe = new SimpleResolver(address());
                probe.setTimeout(PROBE_TIMEOUT);
                Message q = Message.newQuery(Record.newRecord(Name.fromString(zone, Name.root), Type.SOA, DClass.IN));
                return probe.send(q) != null;
            } catch (IOException e) {
                return false;
            }
        }, "answering on 127.0.0.1:" + port);
    }

    /** A loopback port free for both UDP and TCP (the servers bind both). */
    static int freePort() {
        for (int i = 0; i < 20; i++) {
            int port = FreePort.pick();
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return port;
            } catch (IOException e) {
                // taken for UDP: pick another
            }
        }
        throw new AssertionError("no loopback port free for both UDP and TCP");
    }

    /** Polls {@code condition} while the server runs; fails with its output after {@code bound}. */
    void awaitCondition(Duration bound, java.util.function.BooleanSupplier condition, String what) {
        process.awaitCondition(bound, condition, what);
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
