package io.tarn.api.classic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.api.classic.wire.Wire;
import io.tarn.api.http.Json;
import io.tarn.api.http.JsonBuffer;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.ChangeType;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire shapes as JSON, written by a plain ObjectMapper (no naming strategy, nulls included by default). */
class WireJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    private String write(Object value) throws Exception {
        return json.writeValueAsString(value);
    }

    @Test
    void repository() throws Exception {
        assertThat(write(Wire.repository(new Repository("repo", "local://repo", "main", 1599560048L))))
                .isEqualTo("{\"id\":\"repo\",\"creation_date\":1599560048,\"default_branch\":\"main\","
                        + "\"storage_namespace\":\"local://repo\"}");
    }

    @Test
    void objectsHaveEpochSecondsAndCommonPrefixesOnlyAPath() throws Exception {
        ObjectEntry entry = new ObjectEntry("a/b.csv", "data/x", 727, "319ccf050a10a87ba20e00a64c6d738e",
                1599563388999L, null, Map.of());
        assertThat(write(Wire.object(entry))).isEqualTo("{\"path\":\"a/b.csv\",\"path_type\":\"object\","
                + "\"checksum\":\"319ccf050a10a87ba20e00a64c6d738e\",\"mtime\":1599563388,\"size_bytes\":727}");
        assertThat(write(Wire.listItem(new CommonPrefix("a/")))).isEqualTo("{\"path\":\"a/\",\"path_type\":\"common_prefix\"}");
    }

    @Test
    void nextOffsetIsLeftOutOnTheLastPage() throws Exception {
        Page<String> last = new Page<>(List.of("a", "b"), false, "b");
        assertThat(write(Wire.page(last, s -> s))).isEqualTo(
                "{\"pagination\":{\"has_more\":false,\"results\":2,\"max_per_page\":1000},\"results\":[\"a\",\"b\"]}");
        Page<String> more = new Page<>(List.of("a"), true, "a");
        assertThat(write(Wire.page(more, s -> s))).isEqualTo(
                "{\"pagination\":{\"has_more\":true,\"next_offset\":\"a\",\"results\":1,\"max_per_page\":1000},\"results\":[\"a\"]}");
    }

    @Test
    void changesAndCommits() throws Exception {
        assertThat(write(Wire.change(new Change(ChangeType.REMOVED, "x/y", null))))
                .isEqualTo("{\"type\":\"removed\",\"path\":\"x/y\",\"path_type\":\"object\"}");
        // A diff lists objects only; an object's path may end in '/' and is still an object.
        assertThat(write(Wire.change(new Change(ChangeType.ADDED, "dir/", null))))
                .isEqualTo("{\"type\":\"added\",\"path\":\"dir/\",\"path_type\":\"object\"}");
        Commit commit = new Commit("abc", List.of("p1"), "jane", "msg", 1599563809L, Map.of("k", "v"), "t", 2);
        assertThat(write(Wire.commit(commit))).isEqualTo("{\"id\":\"abc\",\"parents\":[\"p1\"],\"committer\":\"jane\","
                + "\"message\":\"msg\",\"creation_date\":1599563809,\"metadata\":{\"k\":\"v\"}}");
    }

    @Test
    void listingMixesObjectsAndPrefixes() throws Exception {
        Page<ListItem> page = new Page<>(List.of(new CommonPrefix("d/"),
                new ObjectEntry("e", "p", 0, "d41d8cd98f00b204e9800998ecf8427e", 2000, null, null)), false, null);
        assertThat(write(Wire.page(page, Wire::listItem))).contains("\"path_type\":\"common_prefix\"")
                .contains("\"size_bytes\":0").contains("\"mtime\":2");
    }

    /** A path of random characters: ASCII, quotes and backslashes, control characters, accents, emoji. */
    private static String randomPath(Random random) {
        String[] pieces = {"a", "b/", "c.csv", "\"", "\\", "\n", "\u0001", "\u007f", "é", "日本", "\uD83D\uDE00", " ", "%2F", "<>"};
        StringBuilder out = new StringBuilder();
        for (int i = random.nextInt(6); i >= 0; i--) {
            out.append(pieces[random.nextInt(pieces.length)]);
        }
        return out.toString();
    }

    private static ObjectEntry randomEntry(Random random) {
        return new ObjectEntry(randomPath(random), "data/" + random.nextInt(1000), random.nextLong(1L << 40),
                random.nextInt(4) == 0 ? null : Long.toHexString(random.nextLong()), random.nextLong() >> random.nextInt(40),
                null, Map.of());
    }

    /** What the server wrote for a value before (the mapper's bytes: UTF-8, characters beyond the BMP escaped). */
    private static String mapperBytes(Object value) throws Exception {
        return new String(Json.mapper().writeValueAsBytes(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void statAndListingBytesAreWhatTheMapperWrites() throws Exception {
        Random random = new Random(0x5747);
        for (int round = 0; round < 2_000; round++) {
            ObjectEntry entry = randomEntry(random);
            int capacity = random.nextInt(3) == 0 ? 1 : 256; // a guess too small makes the buffer grow
            assertThat(Wire.objectText(entry, ignored -> new JsonBuffer(capacity)).toString()).as("%s", entry)
                    .isEqualTo(mapperBytes(Wire.object(entry)));
            List<ListItem> items = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                items.add(random.nextBoolean() ? randomEntry(random) : new CommonPrefix(randomPath(random)));
            }
            boolean more = random.nextBoolean();
            Page<ListItem> page = new Page<>(items, more, random.nextInt(4) == 0 ? null : randomPath(random));
            assertThat(Wire.listText(page, ignored -> new JsonBuffer(capacity)).toString()).as("%s", page)
                    .isEqualTo(mapperBytes(Wire.page(page, Wire::listItem)));
        }
    }
}
