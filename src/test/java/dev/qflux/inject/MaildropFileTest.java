package dev.qflux.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaildropFileTest {
    private static final byte[] MESSAGE = "Subject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTrip() throws Exception {
        byte[] file = MaildropFile.encode(4242, "joe@example.com", List.of("ann@example.org", "jörg@example.de"), MESSAGE);
        MaildropFile.Contents c = MaildropFile.decode(file);
        assertThat(c.pid()).isEqualTo(4242);
        assertThat(c.envelope().sender()).isEqualTo("joe@example.com");
        assertThat(c.envelope().recipients()).containsExactly("ann@example.org", "jörg@example.de");
        assertThat(c.message()).isEqualTo(MESSAGE);
    }

    @Test
    void formatIsTheDocumentedOne() {
        byte[] file = MaildropFile.encode(7, "", List.of("a@b.c"), MESSAGE);
        String text = new String(file, StandardCharsets.UTF_8);
        assertThat(text).startsWith("qflux-maildrop 1\npid 7\nenvelope 9\nF\0Ta@b.c\0message 20\nSubject: s\r\n")
                .matches("(?s).*\r\nbody\r\ncrc32c [0-9a-f]{8}\n");
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] file = MaildropFile.encode(1, "a@b.c", List.of("d@e.f"), MESSAGE);
        for (int length = 0; length < file.length; length++) {
            byte[] cut = Arrays.copyOf(file, length);
            assertThatThrownBy(() -> MaildropFile.decode(cut)).as("cut at %d", length)
                    .isInstanceOf(MaildropFile.MalformedException.class);
        }
    }

    @Test
    void everySingleByteCorruptionIsRefused() {
        byte[] file = MaildropFile.encode(1, "a@b.c", List.of("d@e.f"), MESSAGE);
        for (int i = 0; i < file.length; i++) {
            byte[] bad = file.clone();
            bad[i] ^= 0x20;
            int at = i;
            assertThatThrownBy(() -> MaildropFile.decode(bad)).as("flipped byte %d", at)
                    .isInstanceOf(MaildropFile.MalformedException.class);
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] file = MaildropFile.encode(1, "a@b.c", List.of("d@e.f"), MESSAGE);
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        assertThatThrownBy(() -> MaildropFile.decode(longer)).hasMessageContaining("after the checksum");
    }

    @Test
    void foreignFileIsRefusedClearly() {
        assertThatThrownBy(() -> MaildropFile.decode("From joe\nSubject: hi\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("not a maildrop file");
    }
}
