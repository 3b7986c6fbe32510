package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.WebElement;

/**
 * The admin console in a real browser (Debian's Chromium): signing in with the admin key only, reviewing a settlement
 * approval (accept; decline, with its reason required; the reviewer who lost the race), the projections' rebuild
 * button, and what a forged form gets. Each step leaves a screenshot under {@code target/screenshots/}.
 */
class AdminConsoleBrowserTest extends ApprovalsApiSupport {

    private void signIn(Chromium chromium, String key) {
        chromium.driver.get(api.url("/admin"));
        chromium.assertTitle("Sign in - Admin console");
        WebElement field = chromium.driver.findElement(By.id("key"));
        field.sendKeys(key);
        Chromium.assertLargeTarget(field);
        chromium.submit(chromium.driver.findElement(By.cssSelector("main form button")));
    }

    /**
     * Fills the decline form's text area at once: typed text with line breaks was sometimes not all there when the
     * form was submitted. The form still sends its line breaks as CR LF, and the text must pass its own checks.
     */
    private static void setReason(Chromium chromium, String reason) {
        WebElement field = chromium.driver.findElement(By.id("reason"));
        chromium.driver.executeScript("arguments[0].value = arguments[1]", field, reason);
        assertThat(chromium.driver.executeScript("return arguments[0].checkValidity()", field)).isEqualTo(true);
    }

    private String newApproval() {
        TestAccount account = newAccount(true);
        return requested(account, bankAccountId(account)).text("id");
    }

    @Test
    void anAccountsKeyCannotSignInAndTheAdminKeyAcceptsAnApproval() throws Exception {
        TestAccount account = newAccount(true);
        String approvalId = newApproval();
        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            signIn(chromium, account.key());
            chromium.assertTitle("Sign in - Admin console");
            assertThat(driver.findElement(By.id("error")).getText()).contains("not the admin key");
            chromium.assertAccessiblePage(Chromium.Size.DESKTOP);
            chromium.screenshot("admin-desktop-1-sign-in-refused");

            signIn(chromium, ADMIN_KEY);
            chromium.assertTitle("Approvals - Admin console");
            Cookie session = driver.manage().getCookieNamed("JSESSIONID");
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");
            assertThat(driver.findElements(By.linkText(approvalId))).hasSize(1);
            chromium.assertAccessiblePage(Chromium.Size.DESKTOP);
            chromium.screenshot("admin-desktop-2-approvals");
            // An unknown filter is the default one, shown as such, not an empty list.
            driver.get(api.url("/admin?status=bogus"));
            assertThat(driver.findElements(By.linkText(approvalId))).hasSize(1);
            driver.get(api.url("/admin"));

            driver.findElement(By.linkText(approvalId)).click();
            chromium.assertTitle("Approval " + approvalId + " - Admin console");
            assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("created");
            assertThat(driver.findElement(By.id("evidence")).getAttribute("type")).isEqualTo("application/pdf");
            assertThat(driver.findElement(By.id("bank-account-number")).getText()).matches("12-1234-\\d{7}-000");
            chromium.assertAccessiblePage(Chromium.Size.DESKTOP);
            chromium.screenshot("admin-desktop-3-approval");

            chromium.submit(driver.findElement(By.id("accept")));
            chromium.assertTitle("Approval " + approvalId + " - Admin console");
            assertThat(driver.findElement(By.id("notice")).getText()).isEqualTo("Approval accepted.");
            assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("approved");
            assertThat(driver.findElement(By.id("history")).getText()).contains("by crn::api-key:admin");
            assertThat(driver.findElement(By.id("complete")).isDisplayed()).isTrue();
            chromium.screenshot("admin-desktop-4-accepted");
        }
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("approved");
    }

    @Test
    void onAPhoneDecliningNeedsAReasonAndRecordsIt() throws Exception {
        String approvalId = newApproval();
        try (Chromium chromium = Chromium.open(Chromium.Size.PHONE)) {
            var driver = chromium.driver;
            signIn(chromium, ADMIN_KEY);
            driver.get(api.url("/admin/approvals/" + approvalId));
            chromium.assertAccessiblePage(Chromium.Size.PHONE);
            for (String button : new String[] {"accept", "decline"}) {
                Chromium.assertLargeTarget(driver.findElement(By.id(button)));
            }
            assertThat(driver.findElements(By.id("complete"))).as("only an approved one is completed").isEmpty();
            chromium.screenshot("admin-phone-1-approval");

            // The browser will not send the form without a reason; a browser that does gets the error at the field.
            WebElement reason = driver.findElement(By.id("reason"));
            assertThat(chromium.script("return arguments[0].validity.valueMissing", reason)).isEqualTo(true);
            driver.findElement(By.id("decline")).click();
            assertThat(chromium.script("return document.activeElement.id")).isEqualTo("reason");
            chromium.script("arguments[0].removeAttribute('required')", reason);
            chromium.submit(driver.findElement(By.id("decline")));
            chromium.assertTitle("Approval " + approvalId + " - Admin console");
            assertThat(driver.findElements(By.id("error"))).isEmpty();
            WebElement fieldError = driver.findElement(By.id("reason-error"));
            assertThat(fieldError.getText()).isEqualTo("A reason is required to decline.");
            assertThat(driver.findElement(By.id("reason")).getAttribute("aria-describedby")).isEqualTo("reason-error");
            assertThat(driver.findElement(By.id("reason")).getAttribute("aria-invalid")).isEqualTo("true");
            // Next to its field: between the label and the text area, not at the top of the page.
            int labelBottom = driver.findElement(By.cssSelector("label[for=reason]")).getRect().getY();
            int fieldTop = driver.findElement(By.id("reason")).getRect().getY();
            assertThat(fieldError.getRect().getY()).isBetween(labelBottom, fieldTop);
            assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("created");
            chromium.screenshot("admin-phone-1b-reason-required");

            // Two lines: a text area's line break reaches the server as CR LF; it is kept as one line break.
            setReason(chromium, "The statement is not the account holder's\nSend one in theirs");
            chromium.submit(driver.findElement(By.id("decline")));
            chromium.assertTitle("Approval " + approvalId + " - Admin console");
            assertThat(driver.findElement(By.id("notice")).getText()).isEqualTo("Approval declined.");
            assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("declined");
            assertThat(driver.findElements(By.cssSelector("form button"))).extracting(WebElement::getText)
                    .as("no review is offered for a declined approval").doesNotContain("Accept", "Decline", "Complete");
            assertThat(driver.findElement(By.id("no-review")).getText()).contains("declined");
            chromium.assertAccessiblePage(Chromium.Size.PHONE);
            chromium.screenshot("admin-phone-2-declined");
        }
        Response declined = get(approvalId, ADMIN_KEY);
        assertThat(declined.text("status")).isEqualTo("declined");
        assertThat(declined.json().toString())
                .contains("The statement is not the account holder's\\nSend one in theirs");
    }

    /** The API counts a line break as one character; the browser sends a text area's as two. */
    @Test
    void aReasonNearTheLimitIsTakenWithItsLineBreaksCountedAsOne() throws Exception {
        String approvalId = newApproval();
        String reason = ("x".repeat(99) + "\n").repeat(10).strip();
        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            signIn(chromium, ADMIN_KEY);
            driver.get(api.url("/admin/approvals/" + approvalId));
            setReason(chromium, reason);
            chromium.submit(driver.findElement(By.id("decline")));
            chromium.assertTitle("Approval " + approvalId + " - Admin console");
            assertThat(driver.findElements(By.id("notice"))).as(driver.findElement(By.tagName("main")).getText())
                    .singleElement().extracting(WebElement::getText).isEqualTo("Approval declined.");
        }
        assertThat(get(approvalId, ADMIN_KEY).json().toString()).contains(reason.replace("\n", "\\n"));
    }

    @Test
    void theReviewerWhoLostTheRaceSeesThatItWasAlreadyReviewed() throws Exception {
        String approvalId = newApproval();
        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            signIn(chromium, ADMIN_KEY);
            driver.get(api.url("/admin/approvals/" + approvalId));
            // Another reviewer accepts it meanwhile, through the API.
            assertThat(review(approvalId, "accept", ADMIN_KEY, ApiClient.map()).status()).isEqualTo(200);

            driver.findElement(By.id("reason")).sendKeys("Too late");
            chromium.submit(driver.findElement(By.id("decline")));
            chromium.assertTitle("Approval " + approvalId + " - Admin console");
            assertThat(driver.findElement(By.id("error")).getText())
                    .isEqualTo("This approval has been reviewed already. (APPROVAL_ALREADY_REVIEWED)");
            assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("approved");
            chromium.screenshot("admin-desktop-5-lost-race");
        }
    }

    @Test
    void theProjectionsPageRebuildsAProjection() throws Exception {
        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            signIn(chromium, ADMIN_KEY);
            driver.findElement(By.linkText("Projections")).click();
            chromium.assertTitle("Projections - Admin console");
            WebElement rebuild = driver.findElement(By.cssSelector("button[id^=rebuild-]"));
            String name = rebuild.getAttribute("id").substring("rebuild-".length());
            chromium.submit(rebuild);
            chromium.assertTitle("Projections - Admin console");
            assertThat(driver.findElement(By.id("notice")).getText()).isEqualTo("Rebuild of " + name + " started.");
            chromium.screenshot("admin-desktop-6-projections");
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    !api.get("/api/admin/projections/" + name, ADMIN_KEY).json().get("replaying").asBoolean());
        }
    }

    /** An image is shown at most at its own size, in its own proportions; a PDF's viewer keeps a height. */
    @Test
    void evidenceImagesKeepTheirProportions() throws Exception {
        TestAccount account = newAccount(true);
        ApiClient.Response uploaded = upload(account, "wide.png", "image/png", AdminConsolePagesTest.png(1200, 80));
        String wide = request(account, uploaded.text("id"), bankAccountId(account), "settlement").text("id");
        uploaded = upload(account, "small.png", "image/png", AdminConsolePagesTest.png(300, 200));
        String small = request(account, uploaded.text("id"), bankAccountId(account), "settlement").text("id");
        String pdf = newApproval();
        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            signIn(chromium, ADMIN_KEY);
            driver.get(api.url("/admin/approvals/" + wide));
            WebElement image = awaitImage(chromium);
            // 1200x80 in a column narrower than 1200: as wide as the column, and 15 times as wide as high.
            assertThat(((Number) chromium.script("return arguments[0].clientWidth", image)).intValue())
                    .isLessThan(1200);
            double ratio = ((Number) chromium.script("return arguments[0].clientWidth / arguments[0].clientHeight",
                    image)).doubleValue();
            assertThat(ratio).isCloseTo(15.0, Offset.offset(0.3));
            chromium.screenshot("admin-desktop-7-wide-evidence");

            driver.get(api.url("/admin/approvals/" + small));
            image = awaitImage(chromium);
            assertThat(chromium.script("return arguments[0].clientWidth + 'x' + arguments[0].clientHeight", image))
                    .as("no larger than it is").isEqualTo("300x200");
            chromium.screenshot("admin-desktop-8-small-evidence");

            driver.get(api.url("/admin/approvals/" + pdf));
            assertThat(driver.findElement(By.id("evidence")).getSize().getHeight()).isGreaterThanOrEqualTo(400);
        }
    }

    private static WebElement awaitImage(Chromium chromium) {
        WebElement image = chromium.driver.findElement(By.id("evidence"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Boolean.TRUE.equals(chromium.script("return arguments[0].complete && arguments[0].naturalWidth > 0",
                        image)));
        return image;
    }

    /** Focus in the dark header is visible: its ring at least 3:1 against the header (WCAG 2.2, 1.4.11). */
    @Test
    void focusInTheHeaderIsVisible() throws Exception {
        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            signIn(chromium, ADMIN_KEY);
            chromium.assertTitle("Approvals - Admin console");
            new Actions(driver).sendKeys(Keys.TAB).perform();
            assertThat(chromium.script("return document.activeElement.closest('header') !== null")).isEqualTo(true);
            String ring = (String) chromium.script("return getComputedStyle(document.activeElement).outlineColor");
            String header = (String) chromium.script(
                    "return getComputedStyle(document.querySelector('header')).backgroundColor");
            assertThat(Chromium.contrast(ring, header)).as(ring + " on " + header).isGreaterThanOrEqualTo(3.0);
            chromium.screenshot("admin-desktop-9-header-focus");
        }
    }

    /** At 320 CSS pixels (WCAG 2.2, 1.4.10) the projections page scrolls only its table sideways, not the page. */
    @Test
    void theProjectionsPageFitsANarrowPhone() throws Exception {
        try (Chromium chromium = Chromium.open(Chromium.Size.NARROW_PHONE)) {
            var driver = chromium.driver;
            signIn(chromium, ADMIN_KEY);
            driver.get(api.url("/admin/projections"));
            chromium.assertTitle("Projections - Admin console");
            chromium.assertFitsTheViewport(Chromium.Size.NARROW_PHONE.width);
            chromium.screenshot("admin-narrow-projections");
        }
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefusedAndThePagesCannotBeFramed() throws Exception {
        String approvalId = newApproval();
        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            signIn(chromium, ADMIN_KEY);
            chromium.assertTitle("Approvals - Admin console");
            driver.get("data:text/html,<title>attacker</title><form method=post action=\""
                    + api.url("/admin/approvals/" + approvalId + "/accept") + "\"><button id=go>Go</button></form>"
                    + "<iframe src=\"" + api.url("/admin") + "\"></iframe>");
            driver.switchTo().frame(0);
            assertThat(driver.getPageSource()).doesNotContain("Approvals");
            driver.switchTo().defaultContent();
            driver.findElement(By.id("go")).click();
            chromium.assertTitle("Request refused - Admin console");
            assertThat(driver.findElement(By.id("back")).getAttribute("href"))
                    .isEqualTo(api.url("/admin/approvals/" + approvalId));
            chromium.assertAccessiblePage(Chromium.Size.DESKTOP);
            chromium.screenshot("admin-forged-post");
        }
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");
    }
}
