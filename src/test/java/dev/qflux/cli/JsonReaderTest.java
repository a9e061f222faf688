package dev.qflux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qflux.admin.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsWhatTheEndpointWrites() {
        String reason = "451 4.3.0 \"busy\"\\ \u0001 tab\there";
        Object parsed = JsonReader.parse("{\"pid\":12,\"paused\":false,\"x\":null,\"r\":1.5,"
                + "\"list\":[" + Json.quote(reason) + ",{}],\"empty\":[]}");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        assertThat(map).containsEntry("pid", 12L).containsEntry("paused", false).containsKey("x")
                .containsEntry("r", 1.5).containsEntry("list", List.of(reason, Map.of()));
        assertThat(map.get("x")).isNull();
    }

    @Test
    void refusesBrokenText() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonReader.parse("[1] x")).isInstanceOf(IllegalArgumentException.class);
    }
}
