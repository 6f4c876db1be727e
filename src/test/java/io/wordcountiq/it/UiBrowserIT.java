package io.wordcountiq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.support.Corpus;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.LocalCluster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The page at /ui/ in a real browser (Debian's chromium, headless, driven by its chromedriver: nothing is downloaded)
 * against three instance JVMs on a real broker, two in cluster green and one in red, with standbys. Screenshots go
 * to target/ui-browser-it/. Without chromium this test fails: CI installs it (.ci/run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "ui-browser-it");
    private static final String[] CLUSTERS = {"green", "green", "red"};

    private final Corpus corpus = Corpus.random(11, 1500, 400, 6);
    private final List<InstanceProcess> instances = new ArrayList<>();
    private LocalCluster cluster;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        assertThat(CHROMIUM).as("chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver; .ci/run does)").isExecutable();
        Files.createDirectories(SHOTS);
        cluster = LocalCluster.start("ui-browser-it");
        for (int i = 0; i < CLUSTERS.length; i++) {
            instances.add(cluster.start("wc-" + i, LocalCluster.wordCount("CLUSTER_NAME", CLUSTERS[i])));
        }
        LocalCluster.awaitReady(instances);
        corpus.postTo(instances.get(0).url("/lines"), 500);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> corpus.allJson().equals(Http.get(instances.get(0).url("/state/keyvalues/word-count/all")).body()));

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(SHOTS.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                "--user-data-dir=" + cluster.work().resolve("chromium").toAbsolutePath());
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldListEveryInstanceUnderItsClusterAsReady() throws IOException {
        browser.get(instances.get(0).url("/ui/"));

        for (int i = 0; i < instances.size(); i++) {
            String row = "[data-cluster='" + CLUSTERS[i] + "'] tr[data-address='" + instances.get(i).address() + "']";
            await(instances.get(i).name() + " listed ready under " + CLUSTERS[i]).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> attribute(row, "data-status"), "ready"::equals);
        }
        assertThat(browser.findElements(By.cssSelector("[data-cluster] tbody tr"))).as("no one else").hasSize(3);
        assertThat(text("[data-cluster='green'] tr[data-address='" + instances.get(0).address() + "']"))
                .as("this page's instance, with its partitions per store").contains("this page", "word-count: active");
        screenshot("cluster.png");
    }

    @Test
    @Order(2)
    void shouldShowTheCountOfAKeyHeldByAnotherInstanceWithWhoServedItAndTheHops() throws IOException {
        InstanceProcess entry = instances.get(0);
        String owner = instances.get(2).address();
        String word = wordOwnedBy(entry, owner);

        browser.get(entry.url("/ui/?key=" + word));

        await("the count of " + word).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> text("#result-count"), String.valueOf(corpus.counts().get(word))::equals);
        assertThat(text("#result-served-by")).isEqualTo(owner);
        assertThat(text("#result-owner")).isEqualTo(owner);
        assertThat(text("#result-copy")).contains("active", "fresh");
        WebElement hop = browser.findElement(By.cssSelector("#result-hops li[data-host='" + owner + "']"));
        assertThat(hop.getText()).contains(owner, "replied", "HTTP 200", "ms");
        assertThat(text("#result-total")).endsWith("ms");
        screenshot("lookup.png");

        String other = wordOwnedBy(entry, instances.get(1).address());
        WebElement box = browser.findElement(By.id("key"));
        box.clear();
        box.sendKeys(other);
        browser.findElement(By.cssSelector("#lookup button")).click();
        await("the search box's lookup of " + other).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> text("#result-count"), String.valueOf(corpus.counts().get(other))::equals);
        assertThat(text("#result-served-by")).isEqualTo(instances.get(1).address());
        assertThat(browser.getCurrentUrl()).as("the lookup can be linked to").endsWith("/ui/?key=" + other);
    }

    @Test
    @Order(3)
    void shouldShowAKilledInstanceAsUnreachableWithoutAReload() throws Exception {
        browser.get(instances.get(0).url("/ui/"));
        InstanceProcess victim = instances.get(2);
        String row = "tr[data-address='" + victim.address() + "']";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> attribute(row, "data-status"), "ready"::equals);
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");

        victim.kill();

        await(victim.name() + " shown unreachable after kill -9").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> attribute(row, "data-status"), "unreachable"::equals);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
                .as("the page refreshed itself: no reload").isEqualTo(true);
        assertThat(text(row)).contains(victim.address());
        assertThat(attribute("tr[data-address='" + instances.get(1).address() + "']", "data-status")).isEqualTo("ready");
        screenshot("killed.png");
    }

    /** A word whose count store partition the given instance owns, as the entry instance's metadata says. */
    private String wordOwnedBy(InstanceProcess entry, String owner) {
        return corpus.counts().keySet().stream().filter(w -> entry.ownerOf(w).equals(owner)).findFirst()
                .orElseThrow(() -> new AssertionError("no word owned by " + owner));
    }

    /**
     * The page replaces its rows every few seconds, so an element found in one WebDriver call can be gone by the next
     * (StaleElementReferenceException, which awaitility does not retry): text and attributes are read in one script.
     */
    private String text(String css) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null;", css);
    }

    private String attribute(String css, String name) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
    }

    private void screenshot(String name) throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
