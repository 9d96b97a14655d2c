package dev.orchat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.mcp.ToolNaming.Candidate;
import dev.orchat.mcp.ToolNaming.Named;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/architecture.md §10 naming: bare when unique, prefixed on collision or with a prefix, legal and bounded, conflicts skipped. */
class ToolNamingTest {
    static List<String> names(List<Named> named) {
        return named.stream().map(n -> n.exposed() ? n.exposedName() : "SKIP:" + n.exposedName() + ":" + n.skippedReason()).toList();
    }

    @Test
    void uniqueNamesStayBare() {
        assertThat(names(ToolNaming.name(List.of(new Candidate("a", null, "read_file"), new Candidate("b", null, "echo")))))
                .containsExactly("read_file", "echo");
    }

    @Test
    void collidingNamesAreAllPrefixedWithTheServerId() {
        assertThat(names(ToolNaming.name(List.of(new Candidate("fs", null, "search"), new Candidate("web", null, "search"),
                new Candidate("web", null, "fetch")))))
                .containsExactly("fs__search", "web__search", "fetch");
    }

    @Test
    void aServerPrefixAlwaysApplies() {
        assertThat(names(ToolNaming.name(List.of(new Candidate("everything", "ev", "echo"), new Candidate("x", "", "add")))))
                .containsExactly("ev__echo", "add");
    }

    @Test
    void illegalCharactersBecomeUnderscores() {
        assertThat(ToolNaming.legal("get.weather now/é")).isEqualTo("get_weather_now__");
        assertThat(ToolNaming.legal("")).isEqualTo("_");
        assertThat(ToolNaming.legal("ok-name_1")).isEqualTo("ok-name_1");
    }

    @Test
    void overlongNamesAreCutAndHashed() {
        String long70 = "t".repeat(70);
        String legal = ToolNaming.legal(long70);
        assertThat(legal).hasSize(64).startsWith("t".repeat(55) + "_").matches("[a-zA-Z0-9_-]{1,64}");
        // First 8 hex digits of SHA-256("t" x 70); a different long name gets a different suffix.
        assertThat(legal.substring(56)).matches("[0-9a-f]{8}");
        assertThat(ToolNaming.legal("t".repeat(69) + "u")).isNotEqualTo(legal);
        assertThat(ToolNaming.legal("t".repeat(64))).isEqualTo("t".repeat(64));
    }

    @Test
    void aLaterToolWhoseNameIsTakenIsSkipped() {
        List<Named> named = ToolNaming.name(List.of(new Candidate("a", null, "x__y"), new Candidate("x", null, "y"),
                new Candidate("z", null, "y")));
        // "y" collides, so both become prefixed: x__y (taken by the first, bare "x__y") and z__y.
        assertThat(names(named)).containsExactly("x__y", "SKIP:x__y:name_conflict", "z__y");
    }
}
