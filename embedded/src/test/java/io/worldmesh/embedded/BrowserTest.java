package io.worldmesh.embedded;

import io.worldmesh.engine.Player;
import io.worldmesh.engine.WorldSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The browser client against a real in-process world, in headless Chromium: it connects, a held key moves the
 * player on the server, and walking over a cell border shows up in the HUD and the event log; across a node
 * border, the HUD names the new node and counts the cross-node handover. A page from another origin cannot
 * connect. A connection cut under the page is taken back by itself, as the same player.
 */
class BrowserTest {

    /** 4x4 cells of 16 m: every spawn point is at most 16 m + hysteresis from an inner border, about 2 s away. */
    private static final WorldSettings WORLD = new WorldSettings(4, 4, 16.0, 20, 8.0, 2.0, 10, 6.0, 600, 42L);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path SCREENSHOT = Path.of("target", "browser-test.png");

    private EmbeddedWorld world;
    private CuttableProxy proxy;
    private WebDriver driver;
    private Path profileDir;

    /** A held arrow key: which way it moves the player, in cells. */
    private enum Direction {
        LEFT(Keys.ARROW_LEFT, -1, 0), RIGHT(Keys.ARROW_RIGHT, 1, 0), UP(Keys.ARROW_UP, 0, -1), DOWN(Keys.ARROW_DOWN, 0, 1);

        final Keys key;
        final int dx;
        final int dz;

        Direction(Keys key, int dx, int dz) {
            this.key = key;
            this.dx = dx;
            this.dz = dz;
        }
    }

    private record ServerView(double x, double z, int cx, int cz, double vx, double vz) {
    }

    @BeforeEach
    void startWorldAndBrowser() throws IOException {
        // Look for the binaries before starting anything, so a missing browser fails fast and says what to do.
        Path chromium = locate("worldmesh.chromium", "WORLDMESH_CHROMIUM", "/usr/bin/chromium",
                "chromium", "chromium-browser");
        Path chromedriver = locate("worldmesh.chromedriver", "WORLDMESH_CHROMEDRIVER", "/usr/bin/chromedriver",
                "chromedriver");

        profileDir = Files.createTempDirectory("worldmesh-chromium-");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile()); // an explicit binary and driver keep Selenium Manager (network) out
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,800", "--user-data-dir=" + profileDir);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(TIMEOUT);
    }

    @AfterEach
    void screenshotAndStop() {
        try {
            if (driver != null) {
                saveScreenshot(); // also after a failure: the picture usually says what went wrong
            }
        } finally {
            try {
                if (driver != null) {
                    driver.quit();
                }
            } finally {
                if (proxy != null) {
                    proxy.close();
                }
                if (world != null) {
                    world.close();
                }
                deleteQuietly(profileDir);
            }
        }
    }

    @Test
    void aHeldKeyMovesThePlayerAcrossACellBorder() throws Exception {
        world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withWorld(WORLD));
        driver.get(world.httpUrl() + "?name=browser-test");

        await("the page to connect").atMost(TIMEOUT).until(() -> text("hud-status").equals("connected"));
        await("a player id in the HUD").atMost(TIMEOUT).until(() -> !text("hud-player").isBlank());
        String playerId = text("hud-player");
        await("the first snapshot").atMost(TIMEOUT).until(() -> !text("hud-pos").isBlank());

        // The server decides where the player spawned; aim for the nearest border between two cells.
        ServerView start = server(playerId);
        assertThat(text("hud-cell")).isEqualTo(start.cx() + "," + start.cz());
        Direction dir = nearestInnerBorder(start);
        String fromCell = start.cx() + "," + start.cz();
        String toCell = (start.cx() + dir.dx) + "," + (start.cz() + dir.dz);
        double[] pagePosBefore = pagePos();

        // Hold the key until the HUD shows the new cell: the page sends inputs at 20 Hz while it is down.
        new Actions(driver).keyDown(dir.key).perform();
        try {
            await("HUD cell to change from " + fromCell + " to " + toCell + " moving " + dir)
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> text("hud-cell").equals(toCell));
        } finally {
            new Actions(driver).keyUp(dir.key).perform();
        }

        // Moved the right way, as the page shows it and as the server has it.
        double[] pagePosAfter = pagePos();
        assertThat(progress(dir, pagePosAfter[0] - pagePosBefore[0], pagePosAfter[1] - pagePosBefore[1]))
                .as("metres moved %s in #hud-pos", dir).isGreaterThan(1.0);
        ServerView end = server(playerId);
        assertThat(progress(dir, end.x() - start.x(), end.z() - start.z()))
                .as("metres moved %s on the server", dir).isGreaterThan(1.0);
        assertThat(end.cx() + "," + end.cz()).as("the server's cell").isEqualTo(toCell);

        // The cell_change message became a line in the event log.
        await("a log line for the cell change").atMost(TIMEOUT).untilAsserted(() ->
                assertThat(driver.findElements(By.cssSelector("#log .log-line")))
                        .extracting(WebElement::getText)
                        .anyMatch(line -> line.contains("cell " + fromCell + " \u2192 " + toCell)));

        // Letting go stops the player: the page sends a last {0,0} input when the key goes up.
        await("the player to stop on the server").atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    ServerView now = server(playerId);
                    return now.vx() == 0 && now.vz() == 0;
                });

        // The game's action from the welcome is on key 1 in the legend, and pressing it reaches the game.
        assertThat(driver.findElements(By.cssSelector("#legend .legend-action")))
                .extracting(e -> e.getAttribute("data-action")).containsExactly("drop");
        long seqBefore = world.node().inspect(w -> w.player(playerId).orElseThrow().lastAppliedSeq()).join();
        new Actions(driver).sendKeys("1").perform();
        await("the drop action to be applied").atMost(TIMEOUT).until(() ->
                world.node().inspect(w -> w.player(playerId).orElseThrow().lastAppliedSeq()).join() > seqBefore);
        assertThat(driver.findElements(By.cssSelector("#log .log-line.error"))).isEmpty();

        assertNoConsoleErrors();
    }

    @Test
    void aZoneIsDrawnAsADiscOfItsRadius() {
        world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withWorld(WORLD).withGame("signal"));
        driver.get(world.httpUrl() + "?name=zones");
        await("a snapshot with a zone").atMost(TIMEOUT).until(() -> Boolean.TRUE.equals(js(
                "var s = window.worldmesh.state; return !!s && s.entities.some(function (e) {"
                        + " return e.kind === 'beacon_zone' && e.r === " + SignalGame.ZONE_RADIUS_M + "; })")));
        await("the zones drawn").atMost(TIMEOUT).until(() -> ((Number) page("zonesDrawn")).intValue() > 0);
        assertNoConsoleErrors();
    }

    @Test
    void aPageFromAnotherOriginCannotOpenTheWebSocket() {
        world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withWorld(WORLD));
        // Served as http://127.0.0.1:PORT, pointed at ws://localhost:PORT: to the gateway, another site's page.
        String otherSite = "http://127.0.0.1:" + world.port() + "/?name=elsewhere&ws=ws://localhost:" + world.port()
                + "/ws";
        driver.get(otherSite);
        await("the page to give up").atMost(TIMEOUT).until(() -> text("overlay-detail").contains("Could not reach"));
        assertThat(text("hud-status")).isEqualTo("disconnected");
        assertThat(world.registry().get("worldmesh.gateway.rejected").tag("reason", "origin").counter().count())
                .as("upgrades refused for their origin").isGreaterThanOrEqualTo(1);
        assertThat(world.gateway().connections()).as("WebSockets the gateway holds").isZero();

        driver.get(world.httpUrl() + "?name=at-home");
        await("the gateway's own page to connect").atMost(TIMEOUT)
                .until(() -> text("hud-status").equals("connected"));
    }

    @Test
    void walkingIntoAnotherNodesCellShowsTheCrossNodeHandoverInTheHud() throws Exception {
        // Two nodes: columns 0-1 on n1, 2-3 on n2, so the node border is the line x = 2 cells.
        world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withWorld(WORLD).withNodes(2));
        driver.get(world.httpUrl() + "?name=browser-nodes");
        await("the first snapshot").atMost(TIMEOUT).until(() -> !text("hud-node").isBlank()
                && !text("hud-cell").isBlank());
        String nodeBefore = text("hud-node");
        int cx = Integer.parseInt(text("hud-cell").split(",")[0].trim());
        Direction dir = cx < 2 ? Direction.RIGHT : Direction.LEFT;
        String expectedNode = cx < 2 ? "n2" : "n1";
        assertThat(nodeBefore).isEqualTo(cx < 2 ? "n1" : "n2");
        new Actions(driver).keyDown(dir.key).perform();
        try {
            await("the HUD to name node " + expectedNode).atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> text("hud-node").contains(expectedNode));
        } finally {
            new Actions(driver).keyUp(dir.key).perform();
        }
        assertThat(text("hud-handovers")).isEqualTo("1");
        Object counted = ((ChromeDriver) driver).executeScript("return window.worldmesh.crossNodeHandovers");
        assertThat(((Number) counted).intValue()).isEqualTo(1);
        await("a log line for the cross-node handover").atMost(TIMEOUT).untilAsserted(() ->
                assertThat(driver.findElements(By.cssSelector("#log .log-line")))
                        .extracting(WebElement::getText)
                        .anyMatch(line -> line.contains("cross-node handover to " + expectedNode)));
        assertThat(world.engineTotals().crossNodeHandovers()).isEqualTo(1);
        assertNoConsoleErrors();
    }

    @Test
    void aCutConnectionIsResumedByItselfAndThePlayerMovesOn() throws Exception {
        world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withWorld(WORLD));
        // The page comes through the proxy, so its origin and its WebSocket's Host are both the proxy's.
        proxy = new CuttableProxy(world.port());
        driver.get(proxy.httpUrl() + "?name=browser-cut");
        await("the page to be welcomed").atMost(TIMEOUT).until(() -> "connected".equals(page("status"))
                && page("playerId") != null && !text("hud-pos").isBlank());
        String playerId = (String) page("playerId");
        // every status the page goes through, seen in the page itself: a retry may be too quick to be polled
        js("window.__statuses = []; new MutationObserver(function () {"
                + " window.__statuses.push(document.body.dataset.status); })"
                + ".observe(document.body, { attributes: true, attributeFilter: ['data-status'] });");

        // Toward the farther world edge: room for several seconds of walking, whatever the spawn point.
        ServerView start = server(playerId);
        Direction dir = farthestEdge(start);
        new Actions(driver).keyDown(dir.key).perform();
        try {
            await("the player to move " + dir).atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                ServerView now = server(playerId);
                return progress(dir, now.x() - start.x(), now.z() - start.z()) > 0.5;
            });

            proxy.cutAll();
            await("the page to notice the cut and reconnect by itself").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(statusesSeen())
                            .as("statuses since the cut")
                            .containsSubsequence("reconnecting", "connected"));
            assertThat(statusesSeen()).as("statuses since the cut").doesNotContain("disconnected");
            assertThat(page("status")).isEqualTo("connected");
            assertThat(page("playerId")).as("the player after the reconnect").isEqualTo(playerId);
            assertThat(page("welcome.resumed")).as("welcome.resumed").isEqualTo(true);
            assertThat(((Number) page("reconnects")).intValue()).as("worldmesh.reconnects").isGreaterThanOrEqualTo(1);
            assertThat(proxy.connectionsTo("/ws")).as("WebSockets through the proxy: %s", proxy.requestLines())
                    .isGreaterThanOrEqualTo(2);

            // The key is still down: the resumed player walks on, its inputs accepted (seq went on increasing).
            ServerView resumed = server(playerId);
            await("the resumed player to move on " + dir).atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        ServerView now = server(playerId);
                        return progress(dir, now.x() - resumed.x(), now.z() - resumed.z()) > 1.0;
                    });
        } finally {
            new Actions(driver).keyUp(dir.key).perform();
        }
        // the cut one is gone on the gateway's side too: one player, one WebSocket
        await("the gateway to hold one WebSocket").atMost(TIMEOUT).untilAsserted(() ->
                assertThat(world.gateway().connections()).as("WebSockets the gateway holds").isEqualTo(1));
        assertThat(driver.findElements(By.cssSelector("#log .log-line.error")))
                .as("error lines in the page's log (a stale_seq would be one)")
                .extracting(WebElement::getText).isEmpty();
        assertNoConsoleErrors();
    }

    /** The direction with the most room before the world's edge. */
    private static Direction farthestEdge(ServerView p) {
        double width = WORLD.cellsX() * WORLD.cellSizeM();
        double depth = WORLD.cellsZ() * WORLD.cellSizeM();
        Direction best = Direction.LEFT;
        double bestRoom = -1;
        for (Direction d : Direction.values()) {
            double room = switch (d) {
                case LEFT -> p.x();
                case RIGHT -> width - p.x();
                case UP -> p.z();
                case DOWN -> depth - p.z();
            };
            if (room > bestRoom) {
                bestRoom = room;
                best = d;
            }
        }
        return best;
    }

    /** A field of {@code window.worldmesh}, by a dotted path such as {@code welcome.resumed}. */
    private Object page(String path) {
        return js("return window.worldmesh." + path);
    }

    @SuppressWarnings("unchecked")
    private List<String> statusesSeen() {
        return (List<String>) js("return window.__statuses.slice()");
    }

    private Object js(String script) {
        return ((ChromeDriver) driver).executeScript(script);
    }

    /** The direction whose border into another cell is closest; world edges are not borders. */
    private static Direction nearestInnerBorder(ServerView p) {
        double size = WORLD.cellSizeM();
        Direction best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Direction d : Direction.values()) {
            int ncx = p.cx() + d.dx;
            int ncz = p.cz() + d.dz;
            if (ncx < 0 || ncz < 0 || ncx >= WORLD.cellsX() || ncz >= WORLD.cellsZ()) {
                continue;
            }
            double distance = switch (d) {
                case LEFT -> p.x() - p.cx() * size;
                case RIGHT -> (p.cx() + 1) * size - p.x();
                case UP -> p.z() - p.cz() * size;
                case DOWN -> (p.cz() + 1) * size - p.z();
            };
            if (distance < bestDistance) {
                bestDistance = distance;
                best = d;
            }
        }
        assertThat(best).as("a neighbouring cell of %s,%s", p.cx(), p.cz()).isNotNull();
        return best;
    }

    /** Metres moved along the direction of travel. */
    private static double progress(Direction d, double dx, double dz) {
        return dx * d.dx + dz * d.dz;
    }

    /** The player as the simulation has it, read on the simulation thread. */
    private ServerView server(String playerId) throws Exception {
        Optional<ServerView> view = world.node().inspect(w -> w.player(playerId).map(BrowserTest::viewOf))
                .get(10, TimeUnit.SECONDS);
        return view.orElseThrow(() -> new AssertionError("no player " + playerId + " on the server"));
    }

    private static ServerView viewOf(Player p) {
        return new ServerView(p.x(), p.z(), p.cell().cx(), p.cell().cz(), p.vx(), p.vz());
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getText().trim();
    }

    /** {@code #hud-pos} is "x.x, z.z". */
    private double[] pagePos() {
        String[] parts = text("hud-pos").split(",");
        assertThat(parts).as("#hud-pos").hasSize(2);
        return new double[]{Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
    }

    private void assertNoConsoleErrors() {
        List<LogEntry> entries;
        try {
            entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        } catch (RuntimeException e) {
            // Not every chromedriver serves the legacy log endpoint; the rest of the test still stands.
            System.err.println("BrowserTest: browser console log unavailable, not checked: " + e.getMessage());
            return;
        }
        assertThat(entries)
                .as("SEVERE browser console entries")
                .filteredOn(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .isEmpty();
    }

    private void saveScreenshot() {
        try {
            File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
            Files.createDirectories(SCREENSHOT.getParent());
            Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // never hide the test's own outcome behind a failed screenshot
            System.err.println("BrowserTest: could not save " + SCREENSHOT + ": " + e);
        }
    }

    /**
     * A system property, then an environment variable, then the usual Debian path, then PATH. Fails (not skips):
     * the suite's runner installs the browser, so a missing one is a broken setup.
     */
    private static Path locate(String property, String envVar, String debianPath, String... namesOnPath) {
        String configured = System.getProperty(property, System.getenv(envVar));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isExecutable(p)) {
                fail(property + " / " + envVar + " points at " + p + ", which is not an executable file"
                        + " (unset it to use apt-get install chromium chromium-driver)");
            }
            return p;
        }
        if (Files.isExecutable(Path.of(debianPath))) {
            return Path.of(debianPath);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String name : namesOnPath) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name);
                }
            }
        }
        return fail("the browser test needs " + String.join(" or ", namesOnPath) + " (looked at -D" + property
                + ", $" + envVar + ", " + debianPath + " and PATH): apt-get install chromium chromium-driver");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover temp profile is harmless
        }
    }
}
