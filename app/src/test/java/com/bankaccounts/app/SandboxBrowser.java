package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.bankaccount.BankAccountNumbers;
import com.bankaccounts.platform.testing.ApiClient;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end user's browser on the sandbox bank's pages: plain HTTP with a cookie jar, walking the forms (sign in, then
 * the consent page, each form's CSRF token sent back); redirects are looked at, never followed.
 */
final class SandboxBrowser {

    private static final Pattern NUMBER = Pattern.compile("<code class=\"number\">(\\d{2}-\\d{4}-\\d{7}-\\d{2,3})</code>");
    private static final Pattern CODE = Pattern.compile("<code id=\"code\">([^<]*)</code>");

    private final ApiClient api;
    private final FormSession session;

    SandboxBrowser(ApiClient api) {
        this.api = api;
        this.session = new FormSession(api);
    }

    record Page(int status, String contentType, String location, String body) {
        @Override
        public String toString() {
            return status + " " + contentType + " location=" + location + " " + body;
        }
    }

    /** What the consent page showed and what the Approve button answered. */
    record Consent(List<String> numbers, String state, String code, URI location) {
    }

    Page get(String url) {
        return page(session.get(url));
    }

    /** Presses a button of the consent form (with the session's CSRF token, once a page has shown one). */
    Page decide(String state, String decision) {
        return post("/sandbox/consent", "state", state, "decision", decision);
    }

    Page post(String path, String... fields) {
        return page(session.post(path, fields));
    }

    /**
     * Opens the consent page, signing in with the demo credentials when asked, and checks it: HTML, two demo accounts,
     * Approve and Deny for this state.
     */
    List<String> openConsentPage(String authorizationUrl) {
        assertThat(authorizationUrl).startsWith(api.url("/sandbox/consent?state="));
        Page page = get(authorizationUrl);
        if (page.body() != null && page.body().contains("action=\"/sandbox/sign-in")) {
            Page signedIn = post("/sandbox/sign-in", "state", stateOf(authorizationUrl), "username", "user_good",
                    "password", "pass_good");
            assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(303);
            page = get(URI.create(api.url("/")).resolve(signedIn.location()).toString());
        }
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<form method=\"post\" action=\"/sandbox/consent\" class=\"decision\">")
                .contains("<input type=\"hidden\" name=\"state\" value=\"" + stateOf(authorizationUrl) + "\">")
                .contains("name=\"decision\" value=\"approve\" class=\"primary\">Approve</button>")
                .contains("name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button>");
        List<String> numbers = new ArrayList<>();
        if (page.body().contains("<dd id=\"payee\"")) {
            // A payment consent shares no accounts: it shows the payee and the limits instead.
            return numbers;
        }
        Matcher matcher = NUMBER.matcher(page.body());
        while (matcher.find()) {
            numbers.add(matcher.group(1));
        }
        assertThat(numbers).as(page.body()).hasSize(2).doesNotHaveDuplicates();
        for (String number : numbers) {
            assertThat(BankAccountNumbers.hasValidCheckDigits(number)).as(number + " is a valid number").isTrue();
        }
        return numbers;
    }

    /** Opens the consent page, presses Approve, and takes the code from the 303's Location. */
    Consent approve(String authorizationUrl) {
        List<String> numbers = openConsentPage(authorizationUrl);
        String state = stateOf(authorizationUrl);
        Page answer = decide(state, "approve");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(303);
        assertThat(answer.location()).as(answer.toString()).isNotNull();
        URI location = URI.create(api.url("/")).resolve(answer.location());
        Map<String, String> query = query(location);
        assertThat(query.get("code")).as(answer.toString()).isNotBlank();
        assertThat(query.get("state")).isEqualTo(state);
        assertThat(query).doesNotContainKey("error");
        return new Consent(numbers, state, query.get("code"), location);
    }

    private static Page page(HttpResponse<String> response) {
        return new Page(response.statusCode(), response.headers().firstValue("content-type").orElse(null),
                response.headers().firstValue("location").orElse(null), response.body());
    }

    static String stateOf(String authorizationUrl) {
        return query(URI.create(authorizationUrl)).get("state");
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return values;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            values.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return values;
    }

    static String codeShownOn(Page callback) {
        Matcher matcher = CODE.matcher(callback.body());
        return matcher.find() ? matcher.group(1) : null;
    }
}
