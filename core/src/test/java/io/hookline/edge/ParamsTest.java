package io.hookline.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.support.ApiClient;
import jakarta.ws.rs.core.AbstractMultivaluedMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.glassfish.jersey.internal.util.collection.MultivaluedStringMap;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parameter reading: query-string conversion, JSON strictness, unknown parameters, every problem at once. */
class ParamsTest {
    private static Params query(String... keyValues) {
        MultivaluedStringMap q = new MultivaluedStringMap();
        for (int i = 0; i < keyValues.length; i += 2) q.add(keyValues[i], keyValues[i + 1]);
        return Params.ofQuery(QueryParams.of(q));
    }

    private static Params body(String json) {
        return Params.ofJson(ApiClient.json(json));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> problems(Params p) {
        try {
            p.done();
        } catch (ApiException e) {
            assertThat(e.errorId()).isEqualTo(ErrorId.INVALID_PARAMETERS_FORMAT);
            return (List<Map<String, String>>) e.data();
        }
        return List.of();
    }

    @Test
    void queryValuesAreConvertedToTheirTypes() {
        Params p = query("fromTime", "1700000000.5", "limit", "20", "sortAscending", "true", "includeDeletions", "",
                "state", "all", "streams", "a");
        assertThat(p.number("fromTime")).contains(1700000000.5);
        assertThat(p.integer("limit", 0, 100)).contains(20);
        assertThat(p.bool("sortAscending")).contains(true);
        assertThat(p.bool("includeDeletions")).contains(true);
        assertThat(p.string("state")).contains("all");
        assertThat(p.strings("streams")).contains(List.of("a"));
        assertThat(p.number("toTime")).isEmpty();
        p.done();

        Params zeroOne = query("a", "0", "b", "1", "c", "false");
        assertThat(zeroOne.bool("a")).contains(false);
        assertThat(zeroOne.bool("b")).contains(true);
        assertThat(zeroOne.bool("c")).contains(false);
        zeroOne.done();
    }

    @Test
    void badQueryValuesAreProblems() {
        Params p = query("fromTime", "noon", "toTime", "Infinity", "limit", "1.5", "skip", "-1", "sortAscending", "yes",
                "modifiedSince", "NaN");
        assertThat(p.number("fromTime")).isEmpty();
        assertThat(p.number("toTime")).isEmpty();
        assertThat(p.integer("limit", 0, 100)).isEmpty();
        assertThat(p.integer("skip", 0, 100)).isEmpty();
        assertThat(p.bool("sortAscending")).isEmpty();
        assertThat(p.number("modifiedSince")).isEmpty();
        assertThat(problems(p)).extracting(m -> m.get("param"))
                .containsExactly("fromTime", "toTime", "limit", "skip", "sortAscending", "modifiedSince");
    }

    @Test
    void arraysFromEveryQueryStringForm() {
        assertThat(query("streams[]", "a", "streams[]", "b").strings("streams")).contains(List.of("a", "b"));
        assertThat(query("streams", "a", "streams", "b").strings("streams")).contains(List.of("a", "b"));
        assertThat(query("streams[]", "a").strings("streams")).contains(List.of("a"));
        // Mixed forms keep every value, whichever comes first.
        for (List<String> order : List.of(List.of("streams", "streams[]"), List.of("streams[]", "streams"))) {
            MultivaluedMap<String, String> mixed = new AbstractMultivaluedMap<>(new LinkedHashMap<>()) {
            };
            mixed.add(order.get(0), "a");
            mixed.add(order.get(1), "b");
            ObjectNode params = QueryParams.of(mixed);
            assertThat(Params.ofQuery(params).strings("streams").orElseThrow()).as("%s", order)
                    .containsExactlyInAnyOrder("a", "b");
        }
        // The token is not a parameter.
        MultivaluedStringMap withToken = new MultivaluedStringMap();
        withToken.add("auth", "tok");
        assertThat(QueryParams.of(withToken).has("auth")).isFalse();
    }

    @Test
    void jsonValuesMustHaveTheirTypeAlready() {
        Params p = body("{'limit': '20', 'fromTime': '1', 'sortAscending': 'true', 'streams': 'a', 'name': 3}");
        assertThat(p.integer("limit", 0, 100)).isEmpty();
        assertThat(p.number("fromTime")).isEmpty();
        assertThat(p.bool("sortAscending")).isEmpty();
        assertThat(p.strings("streams")).isEmpty();
        assertThat(p.string("name")).isEmpty();
        assertThat(problems(p)).hasSize(5);

        Params good = body("{'limit': 20, 'fromTime': 1.5, 'sortAscending': false, 'streams': ['a'], 'name': 'n'}");
        assertThat(good.integer("limit", 0, 100)).contains(20);
        assertThat(good.number("fromTime")).contains(1.5);
        assertThat(good.bool("sortAscending")).contains(false);
        assertThat(good.strings("streams")).contains(List.of("a"));
        assertThat(good.string("name")).contains("n");
        good.done();

        Params mixed = body("{'streams': ['a', 1], 'limit': 2.0}");
        assertThat(mixed.strings("streams")).isEmpty();
        assertThat(mixed.integer("limit", 0, 100)).isEmpty();
        assertThat(problems(mixed)).hasSize(2);
    }

    @Test
    void integersOutOfRangeWhateverTheirSize() {
        assertThat(problems(withInteger(query("limit", "101")))).hasSize(1);
        assertThat(problems(withInteger(query("limit", "99999999999999999999999999")))).hasSize(1);
        assertThat(problems(withInteger(body("{'limit': 99999999999999999999999999}")))).hasSize(1);
        Params big = query("limit", "10000000000");
        assertThat(big.longInteger("limit", 0, Long.MAX_VALUE)).contains(10_000_000_000L);
        big.done();
    }

    private static Params withInteger(Params p) {
        assertThat(p.integer("limit", 0, 100)).isEmpty();
        return p;
    }

    @Test
    void nonFiniteJsonNumbersAreRefused() {
        Params p = body("{'time': 1e999, 'duration': -1e999}");
        assertThat(p.number("time")).isEmpty();
        assertThat(p.number("duration")).isEmpty();
        assertThat(problems(p)).hasSize(2);
    }

    @Test
    void unknownParametersAndMissingOnesAreAllReported() {
        Params p = body("{'name': 'x', 'colour': 'red', 'size': 3}");
        assertThat(p.requiredString("name")).isEqualTo("x");
        assertThat(p.requiredString("id")).isNull();
        List<Map<String, String>> problems = problems(p);
        assertThat(problems).extracting(m -> m.get("param")).containsExactlyInAnyOrder("id", "colour", "size");
        problems.forEach(m -> assertThat(m.get("message")).startsWith(m.get("param") + " "));
    }

    @Test
    void paramsMustBeAnObject() {
        assertThatThrownBy(() -> Params.ofJson(ApiClient.json("[1]")))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.errorId()).isEqualTo(ErrorId.INVALID_REQUEST_STRUCTURE));
        assertThatThrownBy(() -> Params.ofJson(ApiClient.json("'text'")))
                .isInstanceOf(ApiException.class);
        Params none = Params.ofJson(null);
        none.done();
        Params nullNode = Params.ofJson(ApiClient.json("null"));
        assertThat(nullNode.string("x")).isEqualTo(Optional.empty());
        nullNode.done();
    }

    @Test
    void nullMeansClearForNullableFields() {
        Params p = body("{'description': null, 'time': null}");
        assertThat(p.isNull("description")).isTrue();
        assertThat(p.number("time")).isEmpty();
        assertThat(p.isNull("other")).isFalse();
        JsonNode raw = p.json("description").orElseThrow();
        assertThat(raw.isNull()).isTrue();
        p.done();
    }
}
