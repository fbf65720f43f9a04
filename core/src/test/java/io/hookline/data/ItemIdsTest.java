package io.hookline.data;

import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Formats of client-supplied ids and the slug a stream gets from its name. */
class ItemIdsTest {
    @Test
    void streamIds() {
        for (String ok : List.of("a", "diary", "Diary_2", "health.heart-rate", "x:y", "_private", "a".repeat(100))) {
            assertThatCode(() -> ItemIds.checkStreamId(ok)).as(ok).doesNotThrowAnyException();
        }
        for (String bad : List.of("", "*", "-leading", ".dot", "with space", "slash/inside", "é", "a".repeat(101),
                "semi;colon", "quote\"")) {
            assertThatThrownBy(() -> ItemIds.checkStreamId(bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.errorId()).isEqualTo(ErrorId.INVALID_ITEM_ID));
        }
    }

    @Test
    void eventIds() {
        for (String ok : List.of("a", "ckxyz0123456789abcdefghij", "my_event-1", "0", "a".repeat(100))) {
            assertThatCode(() -> ItemIds.checkEventId(ok)).as(ok).doesNotThrowAnyException();
        }
        for (String bad : List.of("", "Upper", "-x", "_x", "a.b", "a b", "a".repeat(101), "a/b")) {
            assertThatThrownBy(() -> ItemIds.checkEventId(bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.errorId()).isEqualTo(ErrorId.INVALID_ITEM_ID));
        }
    }

    @Test
    void slugs() {
        assertThat(ItemIds.slug("My Steps!")).isEqualTo("my-steps");
        assertThat(ItemIds.slug("  Héllo   Wörld  ")).isEqualTo("hello-world");
        assertThat(ItemIds.slug("***")).isEmpty();
        assertThat(ItemIds.slug("日本")).isEmpty();
        assertThat(ItemIds.slug("x".repeat(200))).hasSize(90);
        // A slug is always a valid stream id when not empty.
        for (String name : List.of("My Steps!", "a", "Été 2024", "x".repeat(200), "--a--")) {
            assertThatCode(() -> ItemIds.checkStreamId(ItemIds.slug(name))).doesNotThrowAnyException();
        }
    }
}
