package io.worldmesh.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the test classpath's web/index.html and web/css/page.css. */
class StaticFilesTest {

    private final StaticFiles files = new StaticFiles();

    @Test
    void knownFilesAreServedWithTheirType() {
        assertThat(files.get("/")).hasValueSatisfying(f -> {
            assertThat(f.contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(f.content().toString()).contains("test page");
        });
        assertThat(files.get("/index.html")).isPresent();
        assertThat(files.get("/css/page.css")).hasValueSatisfying(
                f -> assertThat(f.contentType()).isEqualTo("text/css; charset=utf-8"));
    }

    @Test
    void unknownPathsLeaveNothingBehind() {
        files.get("/");
        files.get("/css/page.css");
        int cached = files.cachedFiles();
        for (int i = 0; i < 10_000; i++) {
            assertThat(files.get("/missing-" + i + ".html")).isEmpty();
            assertThat(files.get("/no-type-" + i)).isEmpty();
        }
        assertThat(files.cachedFiles()).as("files cached").isEqualTo(cached);
        assertThat(files.get("/")).as("a known file after the flood").isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/./index.html", "/css/./page.css", "/css/../index.html", "/../web/index.html",
            "//index.html", "/css//page.css", "/index.html/", "/.index.html", "/css/.", "/%2e/index.html"})
    void anotherSpellingOfAKnownFileIsNotServedNorCached(String path) {
        int cached = files.cachedFiles();
        assertThat(files.get(path)).as(path).isEmpty();
        assertThat(files.cachedFiles()).as("files cached").isEqualTo(cached);
    }
}
