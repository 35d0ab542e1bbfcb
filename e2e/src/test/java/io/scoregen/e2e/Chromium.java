package io.scoregen.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless chromium driven through Debian's chromedriver. Both paths are set, so Selenium Manager never looks
 * for (or downloads) a driver; chromedriver and the browser's DevTools listen on loopback only. {@link #close()} quits
 * the browser and stops the driver, and a shutdown hook does it should the test JVM end early.
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Thread reaper;

    private Chromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
        this.reaper = new Thread(this::quit, "chromium-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts the browser at 1280×800 with a fresh profile under {@code workDir}. */
    static Chromium start(Path workDir) {
        for (Path p : List.of(BINARY, DRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " missing: the console test needs Debian's chromium and"
                        + " chromium-driver (apt-get install chromium chromium-driver; bash .ci/run installs them)");
            }
        }
        Path profile;
        try {
            profile = Files.createDirectories(workDir.resolve("chromium-profile"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // CI runs as root, where chromium's sandbox cannot start
                "--window-size=1280,800",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                // Nothing but the page's own requests: no update checks, sync, metrics or safe-browsing lookups.
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-domain-reliability",
                "--disable-client-side-phishing-detection",
                "--no-first-run",
                "--no-pings");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withLogFile(workDir.resolve("chromedriver.log").toFile())
                .build();
        try {
            service.start();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return new Chromium(service, driver);
        } catch (IOException | RuntimeException e) {
            service.stop();
            throw new IllegalStateException(
                    "chromium did not start (log: " + workDir.resolve("chromedriver.log") + ")", e);
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** The browser console entries since the last call (reading the driver's log drains it). */
    List<LogEntry> takeConsole() {
        return List.copyOf(driver.manage().logs().get(LogType.BROWSER).getAll());
    }

    @Override
    public void close() {
        quit();
        Runtime.getRuntime().removeShutdownHook(reaper);
    }

    private void quit() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
