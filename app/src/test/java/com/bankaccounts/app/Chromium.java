package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by its ChromeDriver (no Selenium Manager, nothing downloaded), with a fresh
 * profile. Without Chromium the browser tests are skipped, unless {@code BROWSER_TESTS=required} (as {@code .ci/run}
 * sets it), when they fail.
 */
final class Chromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String BINARY = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";

    /** The page's text colours against their backgrounds: the lowest contrast ratio found. */
    static final String LOWEST_CONTRAST = """
            function luminance(color) {
              const [r, g, b] = color.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
                .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
              return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            }
            function background(element) {
              for (let e = element; e; e = e.parentElement) {
                const color = getComputedStyle(e).backgroundColor;
                if (!/rgba\\(.*, 0\\)$/.test(color) && color !== 'transparent') return color;
              }
              return 'rgb(255, 255, 255)';
            }
            let lowest = 21;
            for (const e of document.querySelectorAll('h1, h2, p, li, dt, dd, label, button, code, strong, span, a, th, td, caption')) {
              if (!e.textContent.trim()) continue;
              const a = luminance(getComputedStyle(e).color), b = luminance(background(e));
              lowest = Math.min(lowest, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
            }
            return lowest;""";

    final ChromeDriver driver;
    private final Path profile;

    enum Size {
        PHONE(390, 844), DESKTOP(1280, 800),
        /** The width WCAG 2.2's reflow criterion (1.4.10) asks a page to fit. */
        NARROW_PHONE(320, 640);

        final int width;
        final int height;

        Size(int width, int height) {
            this.width = width;
            this.height = height;
        }
    }

    private Chromium(Size size) throws IOException {
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=" + size.width + "," + size.height, "--force-device-scale-factor=1", "--lang=en-NZ");
        if (size == Size.PHONE || size == Size.NARROW_PHONE) {
            // A phone's viewport: the page's viewport meta tag decides how wide it lays out.
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", size.width, "height", size.height, "pixelRatio", 1.0, "mobile", true,
                            "touch", true)));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        if (size == Size.DESKTOP) {
            // The window's size includes what headless Chromium still counts as its frame: make the viewport 1280x800.
            int frameWidth = ((Number) script("return window.outerWidth - window.innerWidth")).intValue();
            int frameHeight = ((Number) script("return window.outerHeight - window.innerHeight")).intValue();
            driver.manage().window().setSize(new Dimension(size.width + frameWidth, size.height + frameHeight));
        }
    }

    static Chromium open(Size size) {
        boolean installed = new File(BINARY).canExecute() && new File(DRIVER).canExecute();
        if (!installed && !"required".equals(System.getenv("BROWSER_TESTS"))) {
            Assumptions.abort("Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver)");
        }
        assertThat(installed).as("chromium and chromium-driver are installed").isTrue();
        try {
            return new Chromium(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (a form's answer may still be loading) for the page with this title. */
    void assertTitle(String title) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.titleIs(title));
        } catch (TimeoutException e) {
            assertThat(driver.getTitle()).isEqualTo(title);
        }
    }

    /**
     * Presses a form's button and waits until its answer has replaced the page. {@link #assertTitle} alone cannot tell
     * when the answer has the same title as the form's page. The button's own click (its activation: validation, then
     * submission with it as the submitter), not a mouse click at its coordinates: in a CI run a mouse click on decline,
     * below an evidence PDF whose viewer was still starting, reached nothing, and no request was sent for 30 s.
     */
    void submit(WebElement button) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", button);
        awaitGone(page);
    }

    /**
     * Waits until this element's page has been replaced and the page after it has loaded. Chromium reports a gone
     * element as stale or (mid-navigation) as a node that no longer belongs to the document; the next page may then
     * still be loading, and an element looked for in it not there yet.
     */
    void awaitGone(WebElement element) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ignored -> {
            try {
                element.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ignored -> {
            try {
                return "complete".equals(script("return document.readyState"));
            } catch (WebDriverException loading) {
                return false;
            }
        });
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** The contrast ratio of two CSS colours as getComputedStyle gives them ({@code rgb(r, g, b)}). */
    static double contrast(String first, String second) {
        double a = luminance(first);
        double b = luminance(second);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    private static double luminance(String color) {
        java.util.regex.Matcher channels = java.util.regex.Pattern.compile("[\\d.]+").matcher(color);
        double[] weights = {0.2126, 0.7152, 0.0722};
        double luminance = 0;
        for (double weight : weights) {
            assertThat(channels.find()).as(color).isTrue();
            double v = Double.parseDouble(channels.group()) / 255;
            luminance += weight * (v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
        }
        return luminance;
    }

    /** The viewport's width in CSS pixels, and whether the page fits it (no sideways scrolling). */
    void assertFitsTheViewport(int width) {
        assertThat(((Number) script("return window.innerWidth")).intValue()).isEqualTo(width);
        assertThat(((Number) script("return document.documentElement.scrollWidth")).intValue())
                .as("page wider than the viewport").isLessThanOrEqualTo(width);
    }

    /** Language, landmarks, labelled controls, no sideways scrolling, text contrast of at least 4.5:1. */
    void assertAccessiblePage(Size size) {
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(driver.findElements(By.tagName("main"))).hasSize(1);
        assertThat(driver.findElements(By.tagName("header"))).hasSize(1);
        assertThat(driver.findElements(By.tagName("h1"))).hasSize(1);
        for (WebElement input : driver.findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))) {
            assertThat(driver.findElements(By.cssSelector("label[for='" + input.getAttribute("id") + "']")))
                    .as("label of " + input.getAttribute("name")).hasSize(1);
        }
        assertFitsTheViewport(size.width);
        assertThat(((Number) script(LOWEST_CONTRAST)).doubleValue()).isGreaterThanOrEqualTo(4.5);
    }

    /** WCAG 2.2 target size, as the issue asks: at least 44 by 44 CSS pixels. */
    static void assertLargeTarget(WebElement element) {
        assertThat(element.getSize().getWidth()).as(element.getText() + " width").isGreaterThanOrEqualTo(44);
        assertThat(element.getSize().getHeight()).as(element.getText() + " height").isGreaterThanOrEqualTo(44);
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
