package dev.freshet.it;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * One headless Debian Chromium driven through Debian's chromedriver (never a downloaded browser), with
 * every background connection Chromium would make turned off: this machine's network is loopback only.
 * Keeps the browser console's messages, saves numbered screenshots under {@code target/console-screenshots}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final AtomicInteger SHOT = new AtomicInteger();
    static final Path SHOTS = Path.of(System.getProperty("it.dir", "target/it")).resolveSibling("console-screenshots");

    static {
        // one run's screenshots, numbered in the order taken
        try (var old = Files.list(Files.createDirectories(SHOTS))) {
            old.filter(p -> p.toString().endsWith(".png")).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    final ChromeDriver driver;
    private final String base;
    private final Path profile;
    private final Thread reaper;
    private final List<LogEntry> seen = new ArrayList<>();

    Browser(String base, int width, int height) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the console tests need Debian's chromium and chromium-driver "
                    + "(src/test/setup installs them, as root)");
        }
        this.base = base.replaceAll("/$", "");
        this.profile = Files.createTempDirectory("freshet-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage", "--no-default-browser-check",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        reaper = new Thread(this::quit, "browser-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    void open(String path) {
        driver.get(base + path);
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean present(String css) {
        return !all(css).isEmpty();
    }

    /** Waits up to {@code seconds} for {@code condition}, retrying through elements replaced by live updates. */
    <T> T await(int seconds, String what, Function<Browser, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds)).withMessage(what)
                .pollingEvery(Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                // a toast over the element for a few seconds: tried again until it is gone
                .ignoring(org.openqa.selenium.ElementClickInterceptedException.class).until(d -> condition.apply(this));
    }

    WebElement awaitVisible(String css) {
        return await(20, "visible: " + css, b -> {
            WebElement e = b.find(css);
            return e.isDisplayed() ? e : null;
        });
    }

    /** Clicks the element once it is there and enabled (a live update may have replaced it in between). */
    void click(String css) {
        await(20, "clickable: " + css, b -> {
            WebElement e = b.find(css);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return null;
            }
            e.click();
            return true;
        });
    }

    String text(String css) {
        return await(20, "text of " + css, b -> b.find(css).getText());
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void signIn(String user, String password) {
        awaitVisible("#signin-form");
        WebElement u = find("#user");
        u.clear();
        u.sendKeys(user);
        WebElement p = find("#password");
        p.clear();
        p.sendKeys(password);
        click("#signin");
    }

    /** Saves a screenshot as {@code NN-name.png}; returns its path. */
    Path screenshot(String name) throws IOException {
        Path file = SHOTS.resolve(String.format("%02d-%s.png", SHOT.incrementAndGet(), name));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** The browser console's errors (level SEVERE: uncaught exceptions, failed requests) since the last call. */
    List<String> newErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            seen.add(e);
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    /**
     * The serious and critical WCAG 2.1 A/AA violations that axe-core finds on the page as it is now, each as
     * "rule: help [first targets]".
     */
    List<String> accessibilityViolations() {
        com.deque.html.axecore.results.Results r = new com.deque.html.axecore.selenium.AxeBuilder()
                .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(driver);
        return r.getViolations().stream().filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(v -> v.getId() + ": " + v.getHelp() + " " + v.getNodes().stream().limit(3)
                        .map(n -> String.valueOf(n.getTarget())).toList()).toList();
    }

    private void quit() {
        try {
            driver.quit();
        } catch (RuntimeException ignored) {
            // already gone
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    @Override
    public void close() {
        quit();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
