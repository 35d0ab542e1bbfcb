package io.scoregen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.e2e.Platform.Worker;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console at {@code /} in a real browser (headless chromium) against the real platform: sign-in, the train
 * form, the live jobs table, a train job's loss curve, sampling from it, a refused form, cancelling. Each step waits
 * for what the page shows, never for a time; the page must log no error of its own and reach nothing but 127.0.0.1.
 * With {@code -Dscoregen.console.screenshots=true} it also rewrites docs/console-*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    @RegisterExtension
    static final Platform PLATFORM = new Platform();

    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final Duration JOB = Duration.ofMinutes(3);
    private static final boolean SCREENSHOTS = Boolean.getBoolean("scoregen.console.screenshots");

    /**
     * The console errors the tests provoke on purpose: Chromium logs every 4xx answer to fetch() as a failed resource.
     * The wrong token's 401 on the sign-in probe and the refused form's 400; nothing else may appear.
     */
    private static final List<Pattern> PROVOKED = List.of(
            Pattern.compile("/v1/jobs\\?limit=1 - Failed to load resource: .*status of 401.*"),
            Pattern.compile("/v1/train-jobs - Failed to load resource: .*status of 400.*"));

    /** What a stream request logs while the gateway is down: refused, or cut off in the middle. */
    private static final Pattern OUTAGE =
            Pattern.compile("/v1/jobs/stream(\\?\\S*)? - Failed to load resource: net::ERR_");

    private static final List<LogEntry> console = new ArrayList<>();
    private static Chromium chromium;
    private static ChromeDriver driver;
    private static String trainJob;
    private static final List<String> hostsSeen = new ArrayList<>();

    @BeforeAll
    static void start() {
        PLATFORM.startWorker(Worker.TRAIN);
        PLATFORM.startWorker(Worker.SAMPLE);
        chromium = Chromium.start(PLATFORM.workDir());
        driver = chromium.driver();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** Resource timing is per document: read the hosts after every test, before a test could load the page anew. */
    @AfterEach
    void recordHosts() {
        Object hosts = driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => new URL(e.name).hostname)"
                        + ".concat([location.hostname]);");
        ((List<?>) hosts).forEach(h -> hostsSeen.add(String.valueOf(h)));
    }

    @Test
    @Order(1)
    void aWrongTokenIsRefusedWithAMessageAndTheRightOneSignsIn() {
        driver.get(PLATFORM.api().base().toString());
        driver.executeScript("performance.setResourceTimingBufferSize(100000);");
        WebElement token = await(d -> d.findElement(By.id("token")));
        token.sendKeys("not-the-token");
        driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        await(d -> d.findElement(By.id("sign-in-error")).getText().contains("refused"));
        assertEquals(null, storedToken(), "a refused token is not kept");

        token.clear();
        token.sendKeys(PLATFORM.token());
        driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        await(d -> d.findElement(By.id("jobs")).isDisplayed());
        assertEquals(PLATFORM.token(), storedToken());
        assertTrue(!driver.getCurrentUrl().contains(PLATFORM.token()), "the token is in the URL");
    }

    @Test
    @Order(2)
    void aTrainJobSubmittedThroughTheFormShowsLiveProgressInTheTable() {
        open("#/new/train");
        fill(Map.of(
                "dataset", "toy:two-moons",
                "steps", "3000",
                "batchSize", "128",
                "lr", "0.001",
                "seed", "3",
                "checkpointEvery", "1000",
                "model.hiddenDim", "64",
                "model.hiddenLayers", "2"));
        choose("sde", "vp");
        choose("model.network", "mlp");
        driver.findElement(By.cssSelector("#train-form button[type=submit]")).click();
        trainJob = await(d -> {
            String hash = fragment(d);
            return hash.startsWith("/jobs/train-") ? hash.substring("/jobs/".length()) : null;
        });

        open("#/jobs");
        await(d -> d.findElement(By.cssSelector("[data-stream=live]")));
        By bar = By.cssSelector("tr[data-job-id='" + trainJob + "'] progress");
        long first = await(d -> {
            long v = progressValue(d.findElement(bar));
            return v > 0 ? v : null;
        });
        long max = Long.parseLong(driver.findElement(bar).getDomAttribute("max"));
        assertEquals(3000, max, "the bar's max is the job's steps");
        assertTrue(first < max, "the job had ended before the table showed it running; make it longer");
        await(d -> progressValue(d.findElement(bar)) > first);
        assertTrue(
                driver.findElement(By.cssSelector("tr[data-job-id='" + trainJob + "']"))
                        .getText()
                        .contains("toy:two-moons"),
                "the row names the job's data set");
        screenshot("jobs");
    }

    @Test
    @Order(3)
    void theTrainJobPageDrawsItsLossCurveAndListsCheckpoints() {
        open("#/jobs/" + trainJob);
        await(d -> d.findElement(By.id("settings-table")).getText().contains("toy:two-moons"));
        By curve = By.id("loss-curve");
        await(d -> Integer.parseInt(d.findElement(curve).getDomAttribute("data-points")) >= 2);
        awaitStatus("SUCCEEDED");
        int points = Integer.parseInt(driver.findElement(curve).getDomAttribute("data-points"));
        int vertices = driver.findElement(By.cssSelector("#loss-curve polyline"))
                .getDomAttribute("points")
                .trim()
                .split("\\s+")
                .length;
        assertEquals(points, vertices, "the polyline draws every point it counts");
        await(d -> d.findElements(By.cssSelector("#checkpoints a")).size() >= 1);
        screenshot("train");
    }

    @Test
    @Order(4)
    void aSampleJobFromTheModelShowsItsPicturesAndSummary() {
        open("#/jobs/" + trainJob);
        await(displayed(By.id("sample-from-model"))).click();
        WebElement model = await(d -> d.findElement(By.name("model")));
        assertEquals(trainJob, model.getDomProperty("value"), "the sample form names this model");
        fill(Map.of("count", "200", "shardSize", "100", "seed", "1", "sampler.steps", "100"));
        choose("sampler.type", "pc");
        choose("sampler.predictor", "euler_maruyama");
        choose("sampler.corrector", "none");
        driver.findElement(By.cssSelector("#sample-form button[type=submit]")).click();
        await(d -> fragment(d).startsWith("/jobs/sample-"));
        awaitStatus("SUCCEEDED");
        await(d -> d.findElements(By.cssSelector("#shards tbody tr")).size() == 2
                && d.findElements(By.cssSelector("#shards .state-SUCCEEDED")).size() == 2);
        await(d -> Boolean.TRUE.equals(((ChromeDriver) d)
                .executeScript("const imgs = [...document.querySelectorAll('#pictures img')];"
                        + "return imgs.length === 2 && imgs.every(i => i.complete && i.naturalWidth > 0);")));
        String summary = driver.findElement(By.id("summary")).getText();
        assertTrue(summary.contains("NFE per sample") && summary.contains("Samples/s"), summary);
        assertTrue(driver.findElements(By.cssSelector("#downloads a")).size() >= 2, "download links");
        screenshot("sample");
    }

    @Test
    @Order(5)
    void aRefusedFieldIsExplainedNextToItsInput() {
        open("#/new/train");
        fill(Map.of("dataset", "toy:two-moons", "steps", "0"));
        driver.findElement(By.cssSelector("#train-form button[type=submit]")).click();
        WebElement error = await(d -> {
            WebElement e = d.findElement(By.id("f-steps-error"));
            return e.getText().isBlank() ? null : e;
        });
        assertTrue(error.getText().contains("between"), error.getText());
        assertEquals("true", driver.findElement(By.name("steps")).getDomAttribute("aria-invalid"));
        assertTrue(driver.findElement(By.id("f-dataset-error")).getText().isBlank(), "dataset was fine");
        assertEquals("/new/train", fragment(driver), "stayed on the form");
        screenshot("form-violation");
    }

    @Test
    @Order(6)
    void aRunningJobIsCancelledFromItsPage() {
        String job = PLATFORM.api().submitTrain(ToyJobs.train(10_000_000, 0, 64));
        open("#/jobs/" + job);
        await(displayed(By.id("cancel"))).click();
        awaitStatus("CANCELLED");
        await(d -> !d.findElement(By.id("cancel")).isDisplayed());
    }

    @Test
    @Order(7)
    void theTableReconnectsToARestartedGatewayAndGoesOnLive() throws InterruptedException {
        open("#/jobs");
        await(d -> d.findElement(By.cssSelector("[data-stream=live]")));
        console.addAll(chromium.takeConsole());
        PLATFORM.killAndRestartGateway();
        // The restarted gateway's sequence is not the old one's: the page resumes with Last-Event-ID, gets a reset
        // and the snapshot, and then the new instance's changes.
        await(d -> d.findElement(By.cssSelector("[data-stream=live]")), JOB);
        String job = PLATFORM.api().submitTrain(ToyJobs.train(10_000_000, 0, 64));
        await(d -> d.findElement(By.cssSelector("tr[data-job-id='" + job + "']")));
        // While the gateway was away the stream's requests failed; those are the outage's, not the page's, errors.
        for (LogEntry e : chromium.takeConsole()) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                assertTrue(OUTAGE.matcher(e.getMessage()).find(), "not a failed stream request: " + e.getMessage());
            }
        }
        assertEquals(
                202,
                PLATFORM.api().cancel(job),
                "the long job started here is cancelled so that the train worker is free again");
    }

    @Test
    @Order(8)
    void atPhoneWidthOnlyTheTableScrolls() {
        Dimension desktop = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new Dimension(390, 844));
            open("#/jobs");
            await(d -> d.findElements(By.cssSelector("#jobs tbody tr[data-job-id]"))
                            .size()
                    >= 3);
            Boolean pageFits = (Boolean) driver.executeScript(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;");
            Boolean tableScrolls = (Boolean) driver.executeScript(
                    "const s = document.querySelector('.table-scroll'); return s.scrollWidth > s.clientWidth;");
            assertTrue(pageFits, "the page is wider than the phone");
            assertTrue(tableScrolls, "the jobs table does not scroll within its box");
            screenshot("phone");
        } finally {
            driver.manage().window().setSize(desktop);
        }
    }

    @Test
    @Order(9)
    void thePageLoggedNoErrorAndReachedOnlyLoopback() {
        console.addAll(chromium.takeConsole());
        List<String> severe = console.stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> PROVOKED.stream().noneMatch(p -> p.matcher(m).find()))
                .toList();
        assertEquals(List.of(), severe, "browser console errors");
        recordHosts();
        List<String> foreign = hostsSeen.stream()
                .filter(h -> !h.equals("127.0.0.1"))
                .distinct()
                .toList();
        assertEquals(List.of(), foreign, "hosts other than 127.0.0.1");
        assertTrue(hostsSeen.size() > 10, "resource timing saw too little to mean anything: " + hostsSeen);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static <T> T await(Function<WebDriver, T> condition) {
        return await(condition, PAGE);
    }

    private static <T> T await(Function<WebDriver, T> condition, Duration timeout) {
        // Views re-render parts of themselves as the stream reports: an element found a moment ago may be gone.
        return new WebDriverWait(driver, timeout)
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    private static String fragment(WebDriver d) {
        String hash = URI.create(d.getCurrentUrl()).getFragment();
        return hash == null ? "" : hash;
    }

    private static Function<WebDriver, WebElement> displayed(By locator) {
        return d -> {
            WebElement e = d.findElement(locator);
            return e.isDisplayed() ? e : null;
        };
    }

    private static void awaitStatus(String status) {
        await(d -> d.findElement(By.id("job-status")).getText().equals(status), JOB);
    }

    private static void open(String hash) {
        driver.executeScript("location.hash = arguments[0];", hash);
        await(d -> hash.equals("#" + fragment(d)));
    }

    private static void fill(Map<String, String> values) {
        values.forEach((name, value) -> {
            WebElement input = await(d -> d.findElement(By.name(name)));
            input.clear();
            input.sendKeys(value);
        });
    }

    private static void choose(String name, String value) {
        new Select(await(d -> d.findElement(By.name(name)))).selectByValue(value);
    }

    private static long progressValue(WebElement bar) {
        String value = bar.getDomProperty("value");
        return value == null ? 0 : (long) Double.parseDouble(value);
    }

    private static String storedToken() {
        return (String) driver.executeScript("return sessionStorage.getItem('scoregen.token');");
    }

    /** docs/console-{name}.png, only when asked: CI must not rewrite the docs. */
    private static void screenshot(String name) {
        if (!SCREENSHOTS) {
            return;
        }
        Path file = Path.of(System.getProperty("scoregen.e2e.repo"), "docs", "console-" + name + ".png");
        // The whole page, not only the first screen: the window grows to the page's height (bounded) for the shot.
        Dimension window = driver.manage().window().getSize();
        long page = ((Number) driver.executeScript(
                        "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight;"))
                .longValue();
        try {
            driver.manage().window().setSize(new Dimension(window.width, (int)
                    Math.min(Math.max(page, window.height), 1800)));
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new AssertionError("cannot write " + file, e);
        } finally {
            driver.manage().window().setSize(window);
        }
    }
}
