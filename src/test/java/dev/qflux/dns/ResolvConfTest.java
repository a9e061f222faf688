package dev.qflux.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfTest {
    @Test
    void nameserverLinesInOrderOnPort53() {
        List<InetSocketAddress> servers = ResolvConf.parse(List.of(
                "# comment", "search example.com", "nameserver 192.0.2.53", "  nameserver   2001:db8::53  ",
                "nameserver fe80::1%eth0", "nameserver not-an-address", "options ndots:1"));
        assertThat(servers).extracting(s -> s.getAddress().getHostAddress() + " " + s.getPort())
                .containsExactly("192.0.2.53 53", "2001:db8:0:0:0:0:0:53 53", "fe80:0:0:0:0:0:0:1 53");
    }

    @Test
    void noNameserverMeansTheLocalMachine() {
        assertThat(ResolvConf.parse(List.of("search example.com")))
                .containsExactly(ResolvConf.DEFAULT_SERVER);
        assertThat(ResolvConf.DEFAULT_SERVER.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void missingFileMeansTheLocalMachine(@TempDir Path dir) throws IOException {
        assertThat(ResolvConf.servers(dir.resolve("absent"))).containsExactly(ResolvConf.DEFAULT_SERVER);
        Path file = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.2\n");
        assertThat(ResolvConf.servers(file)).containsExactly(new InetSocketAddress("127.0.0.2", 53));
    }
}
