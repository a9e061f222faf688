package dev.qflux.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HAProxy wrapper in front of a bare socket: a client bound to 127.0.0.3 reaches the backend
 * through HAProxy, whose first bytes are a PROXY v2 header naming 127.0.0.3 and the client's port
 * (the header layout of the PROXY protocol spec, section 2.2).
 */
class HaproxyPeerIT {
    /** PROXY v2 signature, spec section 2.2. */
    private static final byte[] V2_SIGNATURE = {
        0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
    };
    private static final int V2_PROXY_COMMAND = 0x21;
    private static final int V2_TCP_OVER_IPV4 = 0x11;
    private static final int TIMEOUT_MILLIS = 30_000;

    @TempDir
    Path dir;

    @Test
    void passesTheClientAddressInAProxyV2Header() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Haproxy proxy = Haproxy.startProxyV2(dir, FreePort.pick(), backend.getLocalPort());
             Socket client = new Socket()) {
            backend.setSoTimeout(TIMEOUT_MILLIS);
            client.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.frontPort()));

            try (Socket accepted = backend.accept()) {
                accepted.setSoTimeout(TIMEOUT_MILLIS);
                DataInputStream in = new DataInputStream(accepted.getInputStream());
                byte[] signature = new byte[V2_SIGNATURE.length];
                in.readFully(signature);
                int command = in.readUnsignedByte();
                int family = in.readUnsignedByte();
                int length = in.readUnsignedShort();
                byte[] source = new byte[4];
                in.readFully(source);
                in.readFully(new byte[4]);
                int sourcePort = in.readUnsignedShort();

                assertThat(signature).isEqualTo(V2_SIGNATURE);
                assertThat(command).isEqualTo(V2_PROXY_COMMAND);
                assertThat(family).isEqualTo(V2_TCP_OVER_IPV4);
                assertThat(length).isGreaterThanOrEqualTo(12);
                assertThat(InetAddress.getByAddress(source).getHostAddress()).isEqualTo("127.0.0.3");
                assertThat(sourcePort).isEqualTo(client.getLocalPort());
            }
        }
    }
}
