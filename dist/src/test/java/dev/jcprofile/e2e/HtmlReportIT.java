package dev.jcprofile.e2e;

import dev.jcprofile.Stats;
import dev.jcprofile.browser.HtmlReport;
import dev.jcprofile.format.ProfileData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code jpstats --html}: the report opened in a real browser, Debian's Chromium in headless mode driven through
 * its chromedriver. The page must load from file:// without any other request and without a console error, its
 * table must sort and filter with pstats's figures, and its flame graph must search, zoom, switch threads and
 * show a comparison's colours, on made-up trees and on recorded ones; a report of 100,000 functions must be usable.
 */
class HtmlReportIT {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        // Not a skip: CI installs the browser (.ci/run), so its absence is a broken machine, said how to mend.
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("HtmlReportIT needs Debian's Chromium and its driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/run does it when they are missing)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The background-networking flags keep the browser from reaching out on its own (here, a closed network
        // makes it hang on those attempts); a new, empty profile directory for each run.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + E2E.tempDir("chromium-profile"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL", "performance", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        browser.get("about:blank");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.quit();
    }

    // ------------------------------------------------------------------ helpers

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /**
     * Opens a report, waits until it is usable, and checks that it asked for nothing but itself and logged no
     * error. Returns the milliseconds from the start of navigation to usable, as the page measured them.
     */
    private static double open(Path report) {
        browser.manage().logs().get(LogType.PERFORMANCE); // drops what earlier pages logged
        browser.manage().logs().get(LogType.BROWSER);
        String url = report.toUri().toString();
        browser.get(url);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!"1".equals(js("return document.body && document.body.dataset.ready || ''"))) {
            if (System.nanoTime() > deadline) fail("the report never became ready: " + report);
        }
        // Every request a page of file: made (the browser's own pages, chrome://, are not the report's).
        List<String> requests = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE)) {
            String m = e.getMessage();
            if (!m.contains("\"Network.requestWillBeSent\"")) continue;
            String document = field(m, "\"documentURL\":\"");
            int request = m.indexOf("\"request\":{");
            String target = request < 0 ? null : field(m.substring(request), "\"url\":\"");
            if (document != null && document.startsWith("chrome://")) continue;
            requests.add(target);
        }
        for (String r : requests) {
            assertTrue(url.equals(r) || (r != null && r.startsWith("data:")), "the report asked for " + r + " (all requests: " + requests + ")");
        }
        assertTrue(requests.contains(url), "no request for the page itself was seen: " + requests);
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) errors.add(e.getMessage());
        }
        assertEquals(List.of(), errors, "console messages of " + report);
        return ((Number) js("return window.jcprofile.readyMs")).doubleValue();
    }

    /**
     * The callers of the table's functions {@code entries}, as the page holds them, are the profile's exactly: the
     * same callers in the same order, the same counts and the same doubles (the report sends some of them as what
     * is left after the call tree's sums, and the page must add them back to the very figures).
     */
    @SuppressWarnings("unchecked")
    private static void assertCallersExact(ProfileData d, List<Integer> entries) {
        List<String> names = new ArrayList<>();
        for (int e : entries) names.add(d.key(e).stdString());
        List<List<List<Object>>> got = (List<List<List<Object>>>) js("return window.jcprofile.callers(arguments[0])", names);
        for (int k = 0; k < entries.size(); k++) {
            int e = entries.get(k);
            List<List<Object>> edges = got.get(k);
            assertTrue(edges != null, "the page has no row " + names.get(k));
            assertEquals(d.callersEnd(e) - d.callersStart(e), edges.size(), "callers of " + names.get(k) + ": " + edges);
            for (int i = d.callersStart(e), j = 0; i < d.callersEnd(e); i++, j++) {
                List<Object> edge = edges.get(j);
                String what = names.get(k) + " called by " + edge;
                assertEquals(d.keyById(d.edgeKey(i)).stdString(), edge.get(0), what);
                assertEquals(d.exactEdgeCalls(i).toString(), edge.get(1), what);
                assertEquals(d.exactEdgePrimitiveCalls(i).toString(), edge.get(2), what);
                assertEquals(d.edgeOwnTime(i), ((Number) edge.get(3)).doubleValue(), what);
                assertEquals(d.edgeCumulativeTime(i), ((Number) edge.get(4)).doubleValue(), what);
            }
        }
    }

    private static String field(String json, String prefix) {
        int i = json.indexOf(prefix);
        if (i < 0) return null;
        int start = i + prefix.length(), end = json.indexOf('"', start);
        return json.substring(start, end);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state() {
        return (Map<String, Object>) js("return window.jcprofile.state()");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> frames() {
        return (List<Map<String, Object>>) js("return window.jcprofile.frames()");
    }

    /** Pixels of the canvas in the given colour (device pixels). */
    private static long pixels(int r, int g, int b) {
        return ((Number) js("const c = document.getElementById('fg'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] === arguments[0] && d[i+1] === arguments[1] && d[i+2] === arguments[2]) n++;"
                + "return n;", r, g, b)).longValue();
    }

    private static List<List<String>> visibleRows() {
        List<List<String>> rows = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#tbody .row"))) {
            List<String> cells = new ArrayList<>();
            for (WebElement c : row.findElements(By.tagName("span"))) cells.add(c.getText());
            rows.add(cells);
        }
        return rows;
    }

    private static void type(String id, String text) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
        input.sendKeys(Keys.TAB);
    }

    private static void option(WebElement select, String text) {
        select.click();
        for (WebElement o : select.findElements(By.tagName("option"))) {
            if (o.getText().equals(text)) { o.click(); return; }
        }
        fail("no option " + text);
    }

    private static Map<String, Object> frameNamed(String label) {
        for (Map<String, Object> f : frames()) if (label.equals(f.get("label"))) return f;
        fail("no frame " + label + " is drawn: " + frames().size() + " frames");
        return null;
    }

    private static void clickCanvas(double x, double y) {
        WebElement canvas = browser.findElement(By.id("fg"));
        int w = canvas.getRect().getWidth(), h = canvas.getRect().getHeight();
        // Selenium offsets from the element's centre.
        new Actions(browser).moveToElement(canvas, (int) Math.round(x - w / 2.0), (int) Math.round(y - h / 2.0)).click().perform();
    }

    /** The colours of the canvas inside a frame (CSS pixels), as "r,g,b" and how many device pixels have each. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> coloursIn(Map<String, Object> frame) {
        return (Map<String, Long>) js("const c = document.getElementById('fg'), k = c.width / c.clientWidth;"
                + "const d = c.getContext('2d').getImageData(Math.round(arguments[0] * k), Math.round(arguments[1] * k),"
                + " Math.max(1, Math.round(arguments[2] * k)), Math.round(17 * k)).data, out = {};"
                + "for (let i = 0; i < d.length; i += 4) { const s = d[i] + ',' + d[i+1] + ',' + d[i+2]; out[s] = (out[s] || 0) + 1; }"
                + "return out;", num(frame, "x"), num(frame, "y"), num(frame, "w"));
    }

    /** The colour that fills most of a frame. */
    private static String fillOf(Map<String, Object> frame) {
        return coloursIn(frame).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /**
     * The frames drawn for a call path: the first frame whose std label is {@code path.get(0)}, then for each next
     * function a frame drawn in the row just below, within the previous frame's width. Fails naming the first
     * function not found there.
     */
    private static List<Map<String, Object>> drawnPath(List<String> path) {
        List<Map<String, Object>> all = frames(), found = new ArrayList<>();
        for (Map<String, Object> f : all) if (named(f, path.get(0))) { found.add(f); break; }
        assertFalse(found.isEmpty(), "no frame " + path.get(0) + " is drawn");
        for (String next : path.subList(1, path.size())) {
            Map<String, Object> parent = found.get(found.size() - 1), child = null;
            double px = num(parent, "x"), pw = num(parent, "w"), py = num(parent, "y");
            for (Map<String, Object> f : all) {
                if (named(f, next) && num(f, "y") == py + 18 && num(f, "x") >= px - 1e-6
                        && num(f, "x") + num(f, "w") <= px + pw + 1e-6) {
                    child = f;
                    break;
                }
            }
            assertTrue(child != null, next + " is not drawn under " + parent.get("std") + " (path so far: " + found + ")");
            found.add(child);
        }
        return found;
    }

    /** A frame of {@code name}, as pstats names it after strip (the report keeps the directories). */
    private static boolean named(Map<String, Object> frame, String name) {
        Object std = frame.get("std");
        return std != null && (std.equals(name) || ((String) std).endsWith("/" + name));
    }

    private static double num(Map<String, Object> frame, String key) {
        return ((Number) frame.get(key)).doubleValue();
    }

    /**
     * Saves a picture of an element of the page, in the test's directory, and in the directory named by the
     * environment's JCPROFILE_SCREENSHOTS when set (tools/html-report-screenshots.sh sets it to docs/).
     */
    private static void screenshot(String elementId, String name) throws IOException {
        // Chromium pictures only what is in the viewport: the element is scrolled to the top of it first.
        WebElement element = browser.findElement(By.id(elementId));
        js("arguments[0].scrollIntoView(true)", element);
        byte[] png = element.getScreenshotAs(OutputType.BYTES);
        js("window.scrollTo(0, 0)");
        Files.write(E2E.tempDir("screenshots").resolve(name), png);
        String dir = System.getenv("JCPROFILE_SCREENSHOTS");
        if (dir != null && !dir.isEmpty()) Files.write(Paths.get(dir).resolve(name), png);
    }

    private static Path write(HtmlReport.Side side, String name) throws IOException {
        Path out = E2E.tempDir("html").resolve(name);
        HtmlReport.writeFile(HtmlReport.report(side, name), out);
        return out;
    }

    // ------------------------------------------------------------------ tests

    /**
     * A profile without a tree (Python's, here) through bin/jpstats: the table has pstats's rows exactly, sorts by
     * each column and filters, and the flame graph's place says in one line why there is none.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void tableOfAPstatsFile(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("html-py");
        Proc.of("python3", "-m", "cProfile", "-o", dir.resolve("py.prof").toString(), "-m", "json.tool",
                E2E.ROOT.resolve("pom.xml").toString()).dir(dir).run().expectExit(0);
        Path out = dir.resolve("py.html");
        Proc.Result r = Proc.of(E2E.JPSTATS.toString(), "--html", out.toString(), "py.prof").jdk(jdk).dir(dir).run().expectExit(0);
        assertEquals("", r.stdout() + r.stderr(), r.toString());
        open(out);
        assertEquals("This profile has no call tree: record with jcprofile --tree.", browser.findElement(By.id("no-tree")).getText());

        // The first rows by cumulative time are pstats's own lines, column by column.
        String pstats = E2E.jpstats(jdk, dir.resolve("py.prof"), "sort cumtime\nstats 15\n").run().expectExit(0).stdout();
        List<List<String>> expected = new ArrayList<>();
        Pattern line = Pattern.compile("^ *(\\S+) +(\\S+) +(\\S+) +(\\S+) +(\\S+) (.*)$");
        boolean inTable = false;
        for (String l : pstats.split("\n")) {
            if (l.contains("ncalls  tottime")) { inTable = true; continue; }
            if (!inTable || l.isBlank()) { if (inTable) break; continue; }
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), l);
            expected.add(List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
        }
        assertEquals(15, expected.size(), pstats);
        List<List<String>> rows = visibleRows();
        // Ties in cumtime may be ordered differently: compare as sets of rows with the top one first.
        assertEquals(expected.get(0), rows.get(0));
        assertTrue(rows.containsAll(expected.subList(0, 5)) || rows.subList(0, 15).containsAll(expected.subList(0, 3)), rows + "\n" + expected);

        // Sorting by tottime: descending, then ascending on a second click.
        browser.findElement(By.cssSelector("#thead span[data-col='1']")).click();
        assertEquals("tottime", state().get("sortedBy"));
        List<List<String>> byTottime = visibleRows();
        for (int i = 1; i < byTottime.size(); i++) {
            assertTrue(Double.parseDouble(byTottime.get(i - 1).get(1)) >= Double.parseDouble(byTottime.get(i).get(1)), byTottime.toString());
        }
        browser.findElement(By.cssSelector("#thead span[data-col='1']")).click();
        assertEquals(Boolean.TRUE, state().get("ascending"));
        assertEquals("0.000", visibleRows().get(0).get(1));

        // Filtering by a regular expression on filename:lineno(function).
        long total = ((Number) state().get("rows")).longValue();
        type("filter", "json/.*decoder");
        long shown = ((Number) state().get("shown")).longValue();
        assertTrue(shown > 0 && shown < total, state().toString());
        for (List<String> row : visibleRows()) assertTrue(row.get(5).matches(".*json/.*decoder.*"), row.toString());
        assertEquals(shown + " of " + total + " functions", browser.findElement(By.id("count")).getText());

        // Callers and callees: a function's callers are links that lead to them.
        type("filter", "json/tool.py:.*\\(main\\)");
        browser.findElement(By.cssSelector("#tbody .row")).click();
        WebElement details = browser.findElement(By.id("details"));
        assertTrue(details.getText().contains("Called by") && details.getText().contains("Calls"), details.getText());
        WebElement caller = details.findElement(By.cssSelector("table a"));
        String callerName = caller.getText();
        caller.click();
        assertTrue(browser.findElement(By.cssSelector("#details h3")).getText().equals(callerName), details.getText());
    }

    /** The README's slow migration recorded with --tree, slow (a one-second pause) and fixed (none). */
    private static Path[] slowMigration(Jdk jdk) {
        return E2E.once(List.of("html slow-migration --tree", jdk.label), () -> {
            Path dir = E2E.tempDir("html-slow-migration");
            Path before = dir.resolve("before.prof"), after = dir.resolve("after.prof");
            String jar = DiffIT.exampleJar().toString();
            E2E.jcprofile(jdk, List.of("--tree", "-o", before.toString()), "-Dmigrate.pace=1", "-jar", jar, "migrate", "5")
                    .run().expectExit(0);
            E2E.jcprofile(jdk, List.of("--tree", "-o", after.toString()), "-Dmigrate.pace=0", "-jar", jar, "migrate", "5")
                    .run().expectExit(0);
            return new Path[] {before, after};
        });
    }

    static final List<String> SLOW_PATH = List.of(
            "Migrations.java:59(Migrations$BackfillOrderTotals.forward)",
            "JDBC3Statement.java:82(JDBC3Statement.executeQuery)",
            "JDBC3Statement.java:452(JDBC3Statement.withConnectionTimeout)",
            "JDBC3Statement.java:87(JDBC3Statement.lambda$executeQuery$1)",
            "CoreStatement.java:81(CoreStatement.exec)",
            "DB.java:974(DB.execute)",
            "SafeStmtPtr.java:82(SafeStmtPtr.safeRunInt)",
            "DB.java:974(DB.lambda$execute$1)",
            "DB.java:993(DB.execute)",
            "{method 'step' of 'org.sqlite.core.NativeDB' objects}",
            "Migrations.java:63(Migrations$BackfillOrderTotals$1.xFunc)",
            "{built-in method java.lang.Thread.sleep}");

    /**
     * A recorded tree: the slow migration's report (bin/jcprofile --tree, bin/jpstats --html) draws its slow path,
     * forward → executeQuery → … → step → xFunc → sleep, as one stack of frames, most of forward's width; search,
     * zoom and the table work on it; the comparison with the fixed run colours that path as faster and lists
     * forward's change. The pictures of docs/ are taken here.
     */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void theSlowMigrationsPathInARecordedTree(Jdk jdk) throws Exception {
        Path[] files = slowMigration(jdk);
        Path dir = files[0].getParent();
        Path out = dir.resolve("before.html");
        Proc.Result r = Proc.of(E2E.JPSTATS.toString(), "--html", out.toString(), "before.prof").jdk(jdk).dir(dir).run().expectExit(0);
        assertEquals("", r.stdout() + r.stderr(), r.toString());
        open(out);
        assertFalse(browser.findElement(By.id("graph-ui")).getAttribute("hidden") != null, "no flame graph shown");
        assertTrue(((Number) state().get("rows")).longValue() > 300, state().toString());
        ProfileData recorded = new Stats(files[0].toString()).data();
        List<Integer> all = new ArrayList<>();
        for (int e = 0; e < recorded.size(); e++) all.add(e);
        assertCallersExact(recorded, all);
        assertEquals("Main.java:20(Main.main)", visibleRows().get(0).get(5).replaceAll("^.*/", ""));
        screenshot("functions", "html-report-table.png");

        List<Map<String, Object>> path = drawnPath(SLOW_PATH);
        double forwardW = num(path.get(0), "w"), sleepW = num(path.get(path.size() - 1), "w");
        // Most of forward's width (its one-second pause; the rest is SQLite's work, slower on a loaded machine).
        assertTrue(sleepW >= 0.5 * forwardW && forwardW > 200, "sleep " + sleepW + " px under forward " + forwardW + " px");
        String tip = (String) js("return window.jcprofile.tip(window.jcprofile.nodeAt(arguments[0], arguments[1]))",
                num(path.get(path.size() - 1), "x") + 5, num(path.get(path.size() - 1), "y") + 9);
        assertTrue(tip.startsWith("{built-in method java.lang.Thread.sleep}\ncalls:      1\n"), tip);
        new Actions(browser).moveToElement(browser.findElement(By.id("fg")),
                (int) Math.round(num(path.get(path.size() - 1), "x") + sleepW / 2 - browser.findElement(By.id("fg")).getRect().getWidth() / 2.0),
                (int) Math.round(num(path.get(path.size() - 1), "y") + 9 - browser.findElement(By.id("fg")).getRect().getHeight() / 2.0)).perform();
        assertTrue(browser.findElement(By.id("tip")).getText().contains("total time:"));
        screenshot("graph", "html-report-flame-graph.png");

        // Search: the sleep's frame turns magenta.
        type("search", "Thread\\.sleep");
        assertTrue(((Number) state().get("matches")).longValue() >= 1, state().toString());
        Map<String, Object> sleep = drawnPath(SLOW_PATH).get(SLOW_PATH.size() - 1);
        assertEquals("230,0,230", fillOf(sleep), coloursIn(sleep).toString());
        type("search", "");

        // A click on forward zooms into it: full width, the path below it still whole.
        Map<String, Object> forward = drawnPath(SLOW_PATH).get(0);
        clickCanvas(num(forward, "x") + 5, num(forward, "y") + 9);
        assertEquals("Migrations$BackfillOrderTotals.forward", state().get("zoom"));
        List<Map<String, Object>> zoomed = drawnPath(SLOW_PATH);
        double width = browser.findElement(By.id("fg")).getRect().getWidth();
        assertTrue(num(zoomed.get(0), "w") >= width - 20 && num(zoomed.get(zoomed.size() - 1), "w") >= 0.9 * (width - 20), zoomed.toString());
        browser.findElement(By.id("reset-zoom")).click();

        // The table: filter and a row's callers.
        type("filter", "BackfillOrderTotals");
        List<List<String>> rows = visibleRows();
        assertTrue(rows.size() >= 2 && rows.stream().allMatch(row -> row.get(5).contains("BackfillOrderTotals")), rows.toString());
        browser.findElement(By.cssSelector("#tbody .row")).click();
        assertTrue(browser.findElement(By.id("details")).getText().contains("Called by"));

        // The comparison: forward's path took a second less, so it is blue, and forward's change is listed.
        Path diff = dir.resolve("diff.html");
        Proc.of(E2E.JPSTATS.toString(), "--html", diff.toString(), "--diff", "before.prof", "after.prof").jdk(jdk).dir(dir).run().expectExit(0);
        open(diff);
        Map<String, Object> fwd = null;
        for (Map<String, Object> f : frames()) if (named(f, SLOW_PATH.get(0))) fwd = f;
        assertTrue(fwd != null, frames().toString());
        String[] c = fillOf(fwd).split(",");
        assertTrue(c[2].equals("255") && Integer.parseInt(c[0]) < 200 && c[0].equals(c[1]), "forward is not blue: " + coloursIn(fwd));
        rows = visibleRows();
        List<String> fwdRow = rows.stream().filter(row -> row.get(10).endsWith("(Migrations$BackfillOrderTotals.forward)")).findFirst().orElse(null);
        assertTrue(fwdRow != null && fwdRow.get(8).startsWith("-"), rows.toString());
        screenshot("graph", "html-report-diff.png");
    }

    /** The flame graph of a tree with three threads: search, zoom, thread selection, hover figures. */
    @Test
    void flameGraph() throws Exception {
        HtmlReport.Side side = ReportFixture.build(300, 2000, 3, 7, null, false);
        Path out = write(side, "threads.html");
        open(out);
        assertEquals("all threads", state().get("thread"));
        assertTrue(frames().size() > 20, frames().toString());

        // Search: frames of matching functions turn magenta, and the count says how many.
        assertEquals(0, pixels(230, 0, 230), () -> state() + " " + js("return document.getElementById('search').value"));
        type("search", "function1[0-9]$|function1[0-9]\\)");
        long matches = ((Number) state().get("matches")).longValue();
        assertTrue(matches > 0, state().toString());
        assertTrue(pixels(230, 0, 230) > 100, "no highlighted frame drawn");
        assertTrue(browser.findElement(By.id("search-info")).getText().startsWith(matches + " matching frame"));
        type("search", "");
        assertEquals(0, pixels(230, 0, 230));

        // A click on a frame zooms into it: it then spans the whole width.
        Map<String, Object> target = null;
        for (Map<String, Object> f : frames()) {
            double w = ((Number) f.get("w")).doubleValue();
            if (((Number) f.get("y")).doubleValue() >= 2 * 18 && w > 40 && w < 600) { target = f; break; }
        }
        assertTrue(target != null, frames().toString());
        String label = (String) target.get("label");
        clickCanvas(((Number) target.get("x")).doubleValue() + 5, ((Number) target.get("y")).doubleValue() + 9);
        assertEquals(label, state().get("zoom"));
        double width = browser.findElement(By.id("fg")).getRect().getWidth();
        Map<String, Object> zoomed = frameNamed(label);
        assertTrue(((Number) zoomed.get("w")).doubleValue() >= width - 20, zoomed + " in " + width);
        assertTrue(browser.findElement(By.id("crumbs")).getText().endsWith(label));

        // Hover: the frame's figures.
        Map<String, Object> f = frameNamed(label);
        new Actions(browser).moveToElement(browser.findElement(By.id("fg")), 0, (int) (((Number) f.get("y")).doubleValue() + 9
                - browser.findElement(By.id("fg")).getRect().getHeight() / 2.0)).perform();
        String tip = browser.findElement(By.id("tip")).getText();
        assertTrue(tip.contains("calls:") && tip.contains("own time:") && tip.contains("total time:") && tip.contains("share:"), tip);

        browser.findElement(By.id("reset-zoom")).click();
        assertEquals(null, state().get("zoom"));

        // The thread selector: one thread's tree, then all again.
        WebElement threads = browser.findElement(By.id("thread"));
        assertEquals(List.of("all threads", "main", "worker-1", "worker-2"),
                threads.findElements(By.tagName("option")).stream().map(WebElement::getText).toList());
        String allRoot = (String) frames().get(0).get("label");
        option(threads, "worker-2");
        assertEquals("worker-2", state().get("thread"));
        String oneRoot = (String) frames().get(0).get("label");
        assertTrue(oneRoot.startsWith("thread worker-2: "), oneRoot);
        assertNotEquals(allRoot, oneRoot);
        option(threads, "all threads");
        assertEquals(allRoot, frames().get(0).get("label"));
    }

    /**
     * A report of 100,000 functions and 400,000 call paths in four threads becomes usable: table and flame graph
     * drawn, sorting, filtering and search answering. The time it takes is printed, not asserted (machines are
     * shared); bench/html_load.py measures it for docs/performance.md.
     */
    @Test
    void aHundredThousandFunctionsAreUsable() throws Exception {
        // The baseline, for the figures only: a report of 300 functions in the same browser, at the same moment.
        double smallMs = open(write(ReportFixture.build(300, 1200, 4, 11, null, false), "small.html"));
        HtmlReport.Side side = ReportFixture.build(100_000, 400_000, 4, 11, null, false);
        Path out = write(side, "big.html");
        double coldMs = open(out);
        double warmMs = open(out);
        long t0 = System.nanoTime();
        browser.findElement(By.cssSelector("#thead span[data-col='1']")).click();
        double sortMs = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        type("filter", "function12");
        double filterMs = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        type("search", "function12");
        double searchMs = (System.nanoTime() - t0) / 1e6;
        System.out.println("HtmlReportIT: phases (ms since navigation start) " + js("return window.jcprofile.phases"));
        System.out.printf("HtmlReportIT: %d bytes; usable after %.0f ms (first open), %.0f ms (again); a 300-function"
                + " report after %.0f ms; sort %.0f ms, filter %.0f ms, search %.0f ms (round trips through the driver)%n",
                Files.size(out), coldMs, warmMs, smallMs, sortMs, filterMs, searchMs);
        assertEquals(100_000L, ((Number) state().get("rows")).longValue());
        // Callers, exactly: the first rows, and rows with a recursive caller (where the tree's sums and the table
        // part most).
        ProfileData d = side.stats().data();
        List<Integer> some = new ArrayList<>();
        for (int e = 0; e < d.size() && some.size() < 200; e++) {
            boolean recursive = false;
            for (int i = d.callersStart(e); i < d.callersEnd(e); i++) recursive |= d.edgeCalls(i) != d.edgePrimitiveCalls(i);
            if (e < 50 || recursive) some.add(e);
        }
        assertCallersExact(d, some);
        assertTrue(((Number) state().get("matches")).longValue() > 0);
        // Usable: the rows are there and the inputs answer (the time is printed above, not asserted: no timed tests).
        assertTrue(((Number) state().get("shown")).longValue() > 0 && !visibleRows().isEmpty(), state().toString());
    }

    /** --diff: AFTER's tree coloured by change, the regression first in the table, BEFORE-only paths listed. */
    @Test
    void differentialReport() throws Exception {
        HtmlReport.Side before = ReportFixture.build(200, 1500, 1, 5, null, false);
        HtmlReport.Side after = ReportFixture.build(200, 1500, 1, 5, "Module42.function42", true);
        Path out = E2E.tempDir("html-diff").resolve("diff.html");
        HtmlReport.writeFile(HtmlReport.diff(after, before, "after.prof", "before.prof"), out.resolveSibling("reverse.html"));
        HtmlReport.writeFile(HtmlReport.diff(before, after, "before.prof", "after.prof"), out);
        open(out);
        // The slowed function leads the table, sorted by the size of the change in cumtime.
        assertEquals("\u0394 cumtime", state().get("sortedBy"));
        List<List<String>> rows = visibleRows();
        assertTrue(rows.stream().limit(3).anyMatch(r -> r.get(10).contains("Module42.function42")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.get(10).contains("New.path") && r.get(10).contains("only in AFTER")), rows.toString());
        assertTrue(rows.get(0).get(8).startsWith("+"), rows.get(0).toString());
        // Frames that grew are red; the new path is hatched (dark red stripes).
        assertTrue(pixels(150, 0, 0) > 0, "no hatched frame");
        String tip = (String) js("return window.jcprofile.tip(0)");
        assertTrue(tip.contains("BEFORE:") && tip.contains("change:"), tip);
        assertTrue(browser.findElement(By.id("gone")).getText().contains("Every path of BEFORE is also in AFTER"));
        // The other way round, the path is gone: listed under the graph.
        open(out.resolveSibling("reverse.html"));
        String gone = browser.findElement(By.id("gone")).getText();
        assertTrue(gone.contains("1 call path of BEFORE") && gone.contains("New.path"), gone);
    }

    /** Bad input: one line naming the file, exit 2; and --help says how. */
    @ParameterizedTest
    @MethodSource("dev.jcprofile.e2e.Jdk#all")
    void errors(Jdk jdk) throws Exception {
        Path dir = E2E.tempDir("html-errors");
        Files.writeString(dir.resolve("text.prof"), "not a profile\n");
        String[][] cases = {
            {"--html", "out.html", "missing.prof"}, {"missing.prof: No such file or directory"},
            {"--html", "out.html", "text.prof"}, {"text.prof: not a profile"},
            {"--html", "no/such/dir/out.html", E2E.ROOT.resolve("browser/src/main/resources/dev/jcprofile/browser/training.prof").toString()},
            {"no/such/dir/out.html: No such file or directory"},
            {"--html", "out.html", "--diff", "a.prof"}, {"--diff needs two profiles"},
            {"--html"}, {"--html needs the name"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            List<String> cmd = new ArrayList<>(List.of(E2E.JPSTATS.toString()));
            cmd.addAll(List.of(cases[i]));
            Proc.Result r = Proc.of(cmd).jdk(jdk).dir(dir).run().expectExit(2);
            assertEquals("", r.stdout(), r.toString());
            assertTrue(r.stderr().startsWith("jpstats: ") && r.stderr().contains(cases[i + 1][0])
                    && r.stderr().indexOf('\n') == r.stderr().length() - 1, r.toString());
        }
        assertFalse(Files.exists(dir.resolve("out.html")));
        String help = Proc.of(E2E.JPSTATS.toString(), "--help").jdk(jdk).run().expectExit(0).stdout();
        assertTrue(help.contains("--html OUT FILE...") && help.contains("--html OUT --diff BEFORE AFTER"), help);
    }
}
