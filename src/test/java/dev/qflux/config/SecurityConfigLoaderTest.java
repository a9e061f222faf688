package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qflux.config.SecurityConfig.AuthPlaintext;
import dev.qflux.config.SecurityConfig.TlsPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void nothingConfiguredMeansNoTlsNoAuthAndMayEverywhere() throws Exception {
        SecurityConfig s = ConfDir.withMe(tmp).load().security();
        assertThat(s.serverCert()).isNull();
        assertThat(s.authConfigured()).isFalse();
        assertThat(s.authPlaintext()).isEqualTo(AuthPlaintext.LOOPBACK);
        assertThat(s.authFailureDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.authFailuresPerIp()).isEqualTo(10);
        assertThat(s.tlsPolicyFor("example.com")).isEqualTo(TlsPolicy.MAY);
    }

    @Test
    void readsEveryFile() throws Exception {
        ConfDir conf = ConfDir.withMe(tmp)
                .control("servercert.pem", "x\n")
                .control("checkpassword", "/usr/local/bin/checkpassword  -v \n")
                .control("authplaintext", "deny\n")
                .control("authfaildelay", "5\n")
                .control("authfailures", "3\n")
                .control("tlsdestinations", "# policy\nBank.Example:verify\n:encrypt\nold.example: none\n");
        SecurityConfig s = conf.load().security();
        assertThat(s.serverCert()).isEqualTo(conf.control("servercert.pem"));
        assertThat(s.checkpassword()).containsExactly("/usr/local/bin/checkpassword", "-v");
        assertThat(s.authPlaintext()).isEqualTo(AuthPlaintext.DENY);
        assertThat(s.authFailureDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.authFailuresPerIp()).isEqualTo(3);
        assertThat(s.tlsPolicyFor("bank.example")).isEqualTo(TlsPolicy.VERIFY);
        assertThat(s.tlsPolicyFor("old.example")).isEqualTo(TlsPolicy.NONE);
        assertThat(s.tlsPolicyFor("other.example")).isEqualTo(TlsPolicy.ENCRYPT);
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertThatThrownBy(() -> ConfDir.withMe(tmp).control("tlsdestinations", "a.example:verify\nb.example:strict\n").load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("tlsdestinations:2: unknown policy");
        assertThatThrownBy(() -> ConfDir.withMe(tmp).control("tlsdestinations", "a.example\n").load())
                .hasMessageContaining("tlsdestinations:1: expected domain:policy");
        assertThatThrownBy(() -> ConfDir.withMe(tmp).control("tlsdestinations", "a.example:may\nA.example:none\n").load())
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> ConfDir.withMe(tmp).control("tlsdestinations", "").control("authplaintext", "yes\n").load())
                .hasMessageContaining("authplaintext:1: expected loopback, allow or deny");
        assertThatThrownBy(() -> ConfDir.withMe(tmp).control("authplaintext", "allow\n").control("authfaildelay", "600\n").load())
                .hasMessageContaining("authfaildelay");
        assertThatThrownBy(() -> ConfDir.withMe(tmp).control("authfaildelay", "0\n").control("tlsca.pem", "not a cert\n").load())
                .hasMessageContaining("tlsca.pem");
    }

    @Test
    void passwordsAndCheckpasswordTogetherAreRefused() {
        assertThatThrownBy(() -> ConfDir.withMe(tmp).control("passwords", "")
                .control("checkpassword", "/bin/false\n").load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("remove the other");
    }
}
