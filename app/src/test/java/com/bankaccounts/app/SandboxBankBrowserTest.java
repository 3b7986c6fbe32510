package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The sandbox bank in a real browser (Debian's Chromium): a business's customer signs in, reads what is asked and
 * approves or denies, on a phone and on a desktop; the pages cannot be framed and a forged form is refused. Each
 * step leaves a screenshot under {@code target/screenshots/}.
 */
class SandboxBankBrowserTest extends ConnectionIntentApiTestSupport {


    private TestAccount business(String name) {
        Response account = api.post("/api/accounts", ADMIN_KEY, ApiClient.map("name", name, "test", true));
        assertThat(account.status()).as(account.toString()).isEqualTo(200);
        Response key = api.post("/api/accounts/" + account.text("id") + "/api-keys", ADMIN_KEY,
                ApiClient.map("name", "MyApiKey", "role", "account-owner"));
        return new TestAccount(account.text("id"), key.text("secret"));
    }

    @Test
    void onAPhoneTheCustomerSignsInAndApprovesAndTheAccountsAreLinked() throws Exception {
        TestAccount account = business("Kiwi Coffee Roasters");
        Response intent = accountInformationIntent(account);

        try (Chromium chromium = Chromium.open(Chromium.Size.PHONE)) {
            var driver = chromium.driver;
            driver.get(intent.text("authorizationUrl"));
            chromium.assertTitle("Sign in - Sandbox Bank");
            chromium.assertAccessiblePage(Chromium.Size.PHONE);
            chromium.screenshot("sandbox-phone-1-sign-in");

            signIn(chromium, "user_good", "wrong");
            assertThat(driver.findElement(By.id("error")).getText()).contains("do not match");
            chromium.screenshot("sandbox-phone-2-sign-in-error");

            signIn(chromium, "user_good", "pass_good");
            chromium.assertTitle("Connect your accounts - Sandbox Bank");
            assertThat(driver.findElement(By.id("business")).getText()).isEqualTo("Kiwi Coffee Roasters");
            List<WebElement> accounts = driver.findElements(By.cssSelector(".accounts li"));
            assertThat(accounts).hasSize(2);
            assertThat(driver.findElement(By.tagName("main")).getText())
                    .contains("The names and numbers of these accounts.").contains("For 90 days, or until you withdraw this consent sooner.");
            chromium.assertAccessiblePage(Chromium.Size.PHONE);
            for (WebElement button : driver.findElements(By.cssSelector("form.decision button"))) {
                Chromium.assertLargeTarget(button);
            }
            chromium.screenshot("sandbox-phone-3-consent");

            driver.findElement(By.cssSelector("button[value=approve]")).click();
            chromium.assertTitle("Consent given - Sandbox Bank");
            String code = driver.findElement(By.id("code")).getText();
            chromium.assertAccessiblePage(Chromium.Size.PHONE);
            chromium.screenshot("sandbox-phone-4-approved");

            assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", code)));
            assertThat(statusOf(intent.text("id"), account)).isEqualTo("authorized");
            assertThat(bankAccountsByNumber(account)).hasSize(2);

            driver.navigate().back();
            driver.navigate().refresh();
            chromium.assertTitle("Already decided - Sandbox Bank");
            chromium.screenshot("sandbox-phone-5-used-link");
        }
    }

    /**
     * A refused sign-in keeps what was typed as the username, and its address (the form's, in the address bar) opened
     * again shows the sign-in, not an error.
     */
    @Test
    void aRefusedSignInKeepsTheUsernameAndItsAddressOpensAgain() throws Exception {
        Response intent = accountInformationIntent(business("Reload Ltd"));

        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            driver.get(intent.text("authorizationUrl"));
            signIn(chromium, "user_typo", "pass_good");
            chromium.assertTitle("Sign in - Sandbox Bank");
            WebElement username = driver.findElement(By.id("username"));
            assertThat(username.getAttribute("value")).isEqualTo("user_typo");
            assertThat(username.getAttribute("aria-describedby")).isEqualTo("error");
            chromium.screenshot("sandbox-desktop-4-sign-in-refused");
            driver.navigate().to(driver.getCurrentUrl());
            chromium.assertTitle("Sign in - Sandbox Bank");
            assertThat(driver.getCurrentUrl()).startsWith(api.url("/sandbox/consent?state="));
            signIn(chromium, "user_good", "pass_good");
            chromium.assertTitle("Connect your accounts - Sandbox Bank");
        }
    }

    @Test
    void onADesktopTheCustomerDeniesAndNothingIsShared() throws Exception {
        TestAccount account = business("Harbour Books");
        Response intent = accountInformationIntent(account);

        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            driver.get(intent.text("authorizationUrl"));
            signIn(chromium, "user_good", "pass_good");
            assertThat(driver.findElement(By.id("business")).getText()).isEqualTo("Harbour Books");
            chromium.assertAccessiblePage(Chromium.Size.DESKTOP);
            chromium.screenshot("sandbox-desktop-1-consent");

            driver.findElement(By.cssSelector("button[value=deny]")).click();
            chromium.assertTitle("Consent not given - Sandbox Bank");
            assertThat(driver.findElement(By.id("outcome")).getText()).contains("access_denied")
                    .contains("Nothing was shared");
            chromium.screenshot("sandbox-desktop-2-denied");

            driver.get(intent.text("authorizationUrl"));
            chromium.assertTitle("Consent declined - Sandbox Bank");
            assertThat(driver.findElement(By.id("message")).getText()).contains("This consent was declined");
            chromium.assertAccessiblePage(Chromium.Size.DESKTOP);
            chromium.screenshot("sandbox-desktop-3-declined-link");
        }
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("declined");
        assertRefused(authorize(intent.text("id"), account.key(), ApiClient.map("code", "any-code")), 403,
                "CONNECTION_INTENT_DECLINED");
        assertThat(bankAccountsByNumber(account)).isEmpty();
    }

    @Test
    void aPaymentConsentShowsThePayeeTheLimitAndTheExpiry() throws Exception {
        TestAccount account = business("Southern Power");
        Response debited = createBankAccount(account, uniqueTestNumber());
        String bankAccount = debited.text("id");
        Response intent = created(account, ApiClient.map("accountId", account.id(),
                "type", "enduring-payment-consent", "bankAccountId", bankAccount, "test", true,
                "name", "Southern Power monthly bill", "period", "monthly", "totalAmount", "25000"));

        try (Chromium chromium = Chromium.open(Chromium.Size.PHONE)) {
            var driver = chromium.driver;
            driver.get(intent.text("authorizationUrl"));
            signIn(chromium, "user_good", "pass_good");
            chromium.assertTitle("Approve a payment consent - Sandbox Bank");
            assertThat(driver.findElement(By.id("business")).getText()).isEqualTo("Southern Power");
            assertThat(driver.findElement(By.id("payee")).getText()).isEqualTo("Southern Power");
            assertThat(driver.findElement(By.id("debit-account")).getText())
                    .isEqualTo("John Doe " + debited.text("bankAccountNumber"));
            assertThat(driver.findElement(By.id("consent-name")).getText()).isEqualTo("Southern Power monthly bill");
            assertThat(driver.findElement(By.id("amount")).getText()).isEqualTo("$250.00 per month");
            assertThat(driver.findElement(By.id("expiry")).getText()).contains("until you withdraw it");
            chromium.assertAccessiblePage(Chromium.Size.PHONE);
            chromium.screenshot("sandbox-phone-6-payment-consent");
        }
    }

    /**
     * The consent form's answer redirects to the business's redirect URI, which may redirect again, elsewhere (from
     * its API's host to its app's, here from localhost to 127.0.0.1). Chromium holds every one of those redirects to
     * the page's {@code form-action}, so the consent page has none.
     */
    @Test
    void anApprovalReturnsTheCustomerToTheBusiness() throws Exception {
        TestAccount account = business("Return Trip Ltd");
        try (MockWebServer business = new MockWebServer()) {
            business.start();
            business.enqueue(new MockResponse().setResponseCode(302)
                    .setHeader("Location", "http://127.0.0.1:" + business.getPort() + "/app"));
            business.enqueue(new MockResponse().setHeader("Content-Type", "text/html")
                    .setBody("<!doctype html><title>Back at Return Trip</title>"
                            + "<h1>Back at Return Trip Ltd</h1><p>Your bank accounts are being connected.</p>"));
            String redirectUri = "http://localhost:" + business.getPort() + "/connected?from=bank";
            Response intent = created(account, ApiClient.map("accountId", account.id(),
                    "type", "account-information-consent", "test", true, "redirectUri", redirectUri));

            try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
                var driver = chromium.driver;
                driver.get(intent.text("authorizationUrl"));
                signIn(chromium, "user_good", "pass_good");
                chromium.assertTitle("Connect your accounts - Sandbox Bank");
                driver.findElement(By.cssSelector("button[value=approve]")).click();
                chromium.assertTitle("Back at Return Trip");
                chromium.screenshot("sandbox-desktop-5-back-at-the-business");
            }
            RecordedRequest back = business.takeRequest(10, TimeUnit.SECONDS);
            assertThat(back).as("the browser reached the redirect URI").isNotNull();
            String code = URI.create("http://localhost" + back.getPath()).getQuery()
                    .replaceAll(".*code=([^&]+).*", "$1");
            assertThat(back.getPath()).startsWith("/connected?from=bank&code=")
                    .endsWith("&state=" + SandboxBrowser.stateOf(intent.text("authorizationUrl")));
            assertEmptyObject(authorize(intent.text("id"), account.key(), ApiClient.map("code", code)));
            assertThat(statusOf(intent.text("id"), account)).isEqualTo("authorized");
        }
    }

    @Test
    void thePagesCannotBeFramed() throws Exception {
        Response intent = accountInformationIntent(business("Framed Ltd"));
        String url = intent.text("authorizationUrl");

        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            driver.get("data:text/html,<title>attacker</title><iframe src=\"" + url + "\"></iframe>");
            driver.switchTo().frame(0);
            assertThat(driver.getPageSource()).doesNotContain("user_good").doesNotContain("Sandbox Bank");
            driver.switchTo().defaultContent();
            chromium.screenshot("sandbox-framed");
        }
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("frame-ancestors 'none'").contains("form-action 'self'"));
        assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(page.headers().firstValue("referrer-policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("cache-control")).hasValueSatisfying(value ->
                assertThat(value).contains("no-store"));
        assertThat(page.headers().firstValue("set-cookie")).hasValueSatisfying(cookie ->
                assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict"));
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefused() throws Exception {
        TestAccount account = business("Forged Ltd");
        Response intent = accountInformationIntent(account);
        String state = SandboxBrowser.stateOf(intent.text("authorizationUrl"));

        // A page elsewhere (an opaque origin here) posts the consent form: refused, and no code is issued.
        try (Chromium chromium = Chromium.open(Chromium.Size.DESKTOP)) {
            var driver = chromium.driver;
            driver.get(intent.text("authorizationUrl"));
            signIn(chromium, "user_good", "pass_good");
            String csrf = driver.findElement(By.name("_csrf")).getAttribute("value");
            driver.get("data:text/html,<title>attacker</title><form method=post action=\"" + api.url("/sandbox/consent")
                    + "\"><input name=state value=\"" + state + "\"><input name=decision value=approve>"
                    + "<input name=_csrf value=\"" + csrf + "\"><button id=go>Win a prize</button></form>");
            driver.findElement(By.id("go")).click();
            chromium.assertTitle("Request refused - Sandbox Bank");
            chromium.screenshot("sandbox-forged-post");
        }

        // A client with its own session and token, but a cross-site Origin or no token: refused.
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .build();
        String signInPage = http.send(HttpRequest.newBuilder(URI.create(intent.text("authorizationUrl"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(signInPage);
        assertThat(token.find()).isTrue();
        String form = "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)
                + "&username=user_good&password=pass_good&_csrf=" + URLEncoder.encode(token.group(1),
                StandardCharsets.UTF_8);
        assertThat(post(http, "/sandbox/sign-in", form, "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(post(http, "/sandbox/sign-in", form.replaceAll("&_csrf=.*", ""), null).statusCode()).isEqualTo(403);
        assertThat(post(http, "/sandbox/sign-in", form, api.url("")).statusCode()).isEqualTo(303);
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("created");
    }

    /** A consent page left open past its session (or across a restart): its form leads back to the link. */
    @Test
    void aFormOfASessionThatEndedLeadsBackToTheConsent() throws Exception {
        TestAccount account = business("Patient Ltd");
        Response intent = accountInformationIntent(account);
        try (Chromium chromium = Chromium.open(Chromium.Size.PHONE)) {
            var driver = chromium.driver;
            driver.get(intent.text("authorizationUrl"));
            signIn(chromium, "user_good", "pass_good");
            chromium.assertTitle("Connect your accounts - Sandbox Bank");
            driver.manage().deleteAllCookies();
            chromium.submit(driver.findElement(By.cssSelector("button[value=approve]")));
            chromium.assertTitle("Session ended - Sandbox Bank");
            chromium.assertAccessiblePage(Chromium.Size.PHONE);
            chromium.screenshot("sandbox-phone-7-session-ended");
            driver.findElement(By.id("again")).click();
            assertThat(driver.findElement(By.id("username")).isDisplayed()).isTrue();
        }
        assertThat(statusOf(intent.text("id"), account)).isEqualTo("created");
    }

    private HttpResponse<String> post(HttpClient http, String path, String form, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url(path)))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void signIn(Chromium chromium, String username, String password) {
        var driver = chromium.driver;
        WebElement user = driver.findElement(By.id("username"));
        user.clear();
        user.sendKeys(username);
        WebElement secret = driver.findElement(By.id("password"));
        secret.clear();
        secret.sendKeys(password);
        Chromium.assertLargeTarget(user);
        Chromium.assertLargeTarget(driver.findElement(By.cssSelector("form button")));
        // Focus moved by the keyboard is visible.
        user.sendKeys(Keys.TAB);
        assertThat(chromium.script("return getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");
        secret.sendKeys(Keys.ENTER);
        chromium.awaitGone(secret);
    }
}
