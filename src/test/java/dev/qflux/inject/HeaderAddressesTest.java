package dev.qflux.inject;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderAddressesTest {

    private static List<String> addresses(String value) {
        List<HeaderAddresses.Found> found = HeaderAddresses.parse(value, 0);
        return found == null ? null : found.stream().map(HeaderAddresses.Found::address).toList();
    }

    @Test
    void findsEveryFormOfMailbox() {
        assertThat(addresses(" a@b.c, \"Bloggs, Joe\" <joe@x.y>, Ann (the boss) <ann>,\r\n\tbare (comment)"))
                .containsExactly("a@b.c", "joe@x.y", "ann", "bare");
    }

    @Test
    void groupsAndEmptyGroups() {
        assertThat(addresses(" team: a@b.c, d@e.f; , undisclosed-recipients:;")).containsExactly("a@b.c", "d@e.f");
    }

    @Test
    void routeInsideAnglesIsPartOfTheAddress() {
        assertThat(addresses("<@r1.example,@r2.example:joe@x.y>")).containsExactly("@r1.example,@r2.example:joe@x.y");
    }

    @Test
    void spansPointAtTheAddressAsWritten() {
        String field = "To: Joe <joe>, ann";
        List<HeaderAddresses.Found> found = HeaderAddresses.parse(field, 3);
        assertThat(found).hasSize(2);
        assertThat(field.substring(found.get(0).start(), found.get(0).end())).isEqualTo("joe");
        assertThat(field.substring(found.get(1).start(), found.get(1).end())).isEqualTo("ann");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Joe Bloggs joe@x.y", "<unclosed@x.y", "\"open quote", "(open comment", "a@b.c>", "x; y"})
    void malformedListsAreRefused(String value) {
        assertThat(addresses(value)).isNull();
    }
}
