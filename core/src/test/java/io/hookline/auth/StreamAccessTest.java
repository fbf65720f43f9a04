package io.hookline.auth;

import io.hookline.storage.Tracking;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.hookline.auth.Level.CONTRIBUTE;
import static io.hookline.auth.Level.CREATE_ONLY;
import static io.hookline.auth.Level.MANAGE;
import static io.hookline.auth.Level.READ;
import static org.assertj.core.api.Assertions.assertThat;

/** Resolving an access's level on a stream: inheritance, the most specific permission, "*", personal. */
class StreamAccessTest {
    /** top > mid > leaf, and other at the root. */
    private static final Map<String, String> PARENTS = Map.of("mid", "top", "leaf", "mid");

    private static StreamAccess access(AccessType type, Permission... permissions) {
        Access a = new Access("a1", 1, "tok", type, "n", null, Arrays.asList(permissions), null, null,
                Tracking.createdBy("x", 0));
        return new StreamAccess(a, PARENTS::get);
    }

    private static Permission on(String stream, Level level) {
        return new Permission(stream, level);
    }

    @Test
    void permissionOnAStreamAppliesToItsDescendantsOnly() {
        StreamAccess s = access(AccessType.APP, on("mid", CONTRIBUTE));
        assertThat(s.levelOn("mid")).contains(CONTRIBUTE);
        assertThat(s.levelOn("leaf")).contains(CONTRIBUTE);
        assertThat(s.levelOn("top")).isEmpty();
        assertThat(s.levelOn("other")).isEmpty();
        assertThat(s.levelOnRoot()).isEmpty();
        assertThat(s.canSee("top")).isFalse();
    }

    @Test
    void theMostSpecificPermissionWinsEitherWay() {
        StreamAccess narrower = access(AccessType.SHARED, on("top", MANAGE), on("mid", READ));
        assertThat(narrower.levelOn("top")).contains(MANAGE);
        assertThat(narrower.levelOn("mid")).contains(READ);
        assertThat(narrower.levelOn("leaf")).contains(READ);
        assertThat(narrower.canManage("leaf")).isFalse();

        StreamAccess wider = access(AccessType.SHARED, on("top", READ), on("mid", MANAGE));
        assertThat(wider.canManage("top")).isFalse();
        assertThat(wider.canManage("leaf")).isTrue();

        // Order of the permissions does not matter.
        StreamAccess reversed = access(AccessType.SHARED, on("mid", READ), on("top", MANAGE));
        assertThat(reversed.levelOn("leaf")).contains(READ);
    }

    @Test
    void starAppliesWhereNothingMoreSpecificDoes() {
        StreamAccess s = access(AccessType.APP, on("*", READ), on("mid", CREATE_ONLY));
        assertThat(s.levelOn("other")).contains(READ);
        assertThat(s.levelOn("top")).contains(READ);
        assertThat(s.levelOn("leaf")).contains(CREATE_ONLY);
        assertThat(s.levelOn("not-a-stream-yet")).contains(READ);
        assertThat(s.levelOnRoot()).contains(READ);
        assertThat(s.canReadEvents("leaf")).isFalse();
        assertThat(s.canCreateEvents("leaf")).isTrue();
        assertThat(s.readsEverything()).isFalse();

        assertThat(access(AccessType.APP, on("*", READ)).readsEverything()).isTrue();
        assertThat(access(AccessType.APP, on("*", READ), on("mid", MANAGE)).readsEverything()).isTrue();
        assertThat(access(AccessType.APP, on("*", CREATE_ONLY)).readsEverything()).isFalse();
        assertThat(access(AccessType.APP, on("top", MANAGE)).readsEverything()).isFalse();
    }

    @Test
    void personalManagesEverythingWhateverItsPermissions() {
        StreamAccess s = access(AccessType.PERSONAL);
        for (String id : List.of("top", "mid", "leaf", "other", "unknown")) {
            assertThat(s.levelOn(id)).contains(MANAGE);
        }
        assertThat(s.levelOnRoot()).contains(MANAGE);
        assertThat(s.readsEverything()).isTrue();
    }

    @Test
    void whatEachLevelAllowsOnEvents() {
        StreamAccess read = access(AccessType.APP, on("top", READ));
        StreamAccess createOnly = access(AccessType.APP, on("top", CREATE_ONLY));
        StreamAccess contribute = access(AccessType.APP, on("top", CONTRIBUTE));
        StreamAccess manage = access(AccessType.APP, on("top", MANAGE));
        assertThat(List.of(read, createOnly, contribute, manage)).extracting(a -> a.canReadEvents("leaf"))
                .containsExactly(true, false, true, true);
        assertThat(List.of(read, createOnly, contribute, manage)).extracting(a -> a.canCreateEvents("leaf"))
                .containsExactly(false, true, true, true);
        assertThat(List.of(read, createOnly, contribute, manage)).extracting(a -> a.canContribute("leaf"))
                .containsExactly(false, false, true, true);
        assertThat(List.of(read, createOnly, contribute, manage)).extracting(a -> a.canManage("leaf"))
                .containsExactly(false, false, false, true);
        assertThat(List.of(read, createOnly, contribute, manage)).extracting(a -> a.canSee("leaf"))
                .containsExactly(true, true, true, true);
    }

    @Test
    void aCycleInTheParentsDoesNotHang() {
        Map<String, String> cyclic = Map.of("a", "b", "b", "a");
        Access a = new Access("a1", 1, "tok", AccessType.APP, "n", null, List.of(on("*", READ)), null, null,
                Tracking.createdBy("x", 0));
        assertThat(new StreamAccess(a, cyclic::get).levelOn("a")).contains(READ);
    }
}
