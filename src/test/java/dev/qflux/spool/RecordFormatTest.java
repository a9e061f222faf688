package dev.qflux.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    @Test
    void envelopeIsQmailQueuesFormat() {
        byte[] encoded = RecordFormat.encodeEnvelope(new Envelope("a@x.example", List.of("b@y.example", "c@z.example")));
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("Fa@x.example\0Tb@y.example\0Tc@z.example\0\0");
        byte[] bounce = RecordFormat.encodeEnvelope(new Envelope("", List.of("b@y.example")));
        assertThat(new String(bounce, StandardCharsets.UTF_8)).isEqualTo("F\0Tb@y.example\0\0");
    }

    @Test
    void envelopeRoundTripsThroughUtf8() {
        Envelope envelope = new Envelope("j\u00fcrgen@b\u00fccher.example", List.of("\u00e9l\u00e8ve@\u00e9cole.example", ""));
        byte[] encoded = RecordFormat.encodeEnvelope(envelope);
        assertThat(RecordFormat.decodeEnvelope(ByteBuffer.wrap(encoded), 0, encoded.length)).isEqualTo(envelope);
    }

    @Test
    void malformedEnvelopesReadAsDamage() {
        for (String bad : new String[] {"F\0\0", "Fa\0Tb\0", "Ta\0Tb\0\0", "Fa\0Xb\0\0", "Fa\0Tb\0\0\0", "Fa\0Tb"}) {
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            assertThat(RecordFormat.decodeEnvelope(ByteBuffer.wrap(bytes), 0, bytes.length)).as(bad.replace('\0', '0')).isNull();
        }
    }

    @Test
    void anAddressWithNulCannotBeStored() {
        assertThatThrownBy(() -> RecordFormat.encodeEnvelope(new Envelope("a@x", List.of("b\0@y"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void segmentHeaderRoundTripsAndRejectsDamage() {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
        RecordFormat.SegmentHeader header = new RecordFormat.SegmentHeader(7, 1000, 6, 123456);
        RecordFormat.putSegmentHeader(buf, header, crc);
        assertThat(buf.position()).isEqualTo(RecordFormat.SEGMENT_HEADER_BYTES);
        assertThat(RecordFormat.readSegmentHeader(buf, 0, crc)).isEqualTo(header);
        for (int i = 0; i < RecordFormat.SEGMENT_HEADER_BYTES; i++) {
            buf.put(i, (byte) (buf.get(i) ^ 1));
            assertThat(RecordFormat.readSegmentHeader(buf, 0, crc)).as("flip at " + i).isNull();
            buf.put(i, (byte) (buf.get(i) ^ 1));
        }
    }
}
