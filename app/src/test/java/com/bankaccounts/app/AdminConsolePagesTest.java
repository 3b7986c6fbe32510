package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The admin console's pages over HTTP, as a browser without JavaScript sends them (a cookie jar, each form's CSRF
 * token sent back, redirects looked at, never followed): what an ended session, a missing token, an unknown page and
 * an evidence file's name get, and where signing in leads.
 */
class AdminConsolePagesTest extends ApprovalsApiSupport {

    /** One browser: its cookies, and the CSRF token of the last page that showed one. */
    private final class Console {

        private final FormSession session;

        Console() {
            this(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        }

        private Console(CookieManager cookies) {
            this.session = new FormSession(api, cookies);
        }

        /**
         * This browser as it is once its session has ended on the server (timed out): the same session cookie and
         * page, now unknown to the server. Another browser with these cookies signs out, which ends it.
         */
        /** Signs in and opens the approval's page, as a reviewer does before a review. */
        void openApproval(String approvalId) {
            signIn();
            assertThat(get("/admin/approvals/" + approvalId).statusCode()).isEqualTo(200);
        }

        Console withSessionEnded() {
            CookieManager kept = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
            session.cookies().getCookieStore().getCookies().forEach(cookie ->
                    kept.getCookieStore().add(URI.create(api.url("/")), cookie));
            assertThat(pathOf(post("/admin/logout"))).isEqualTo("/admin/login?signed-out");
            Console ended = new Console(kept);
            ended.session.csrf = session.csrf;
            return ended;
        }

        HttpResponse<String> get(String path) {
            return session.get(api.url(path));
        }

        /** Posts a form with the token of the last page shown, if any. */
        HttpResponse<String> post(String path, String... fields) {
            return session.post(path, fields);
        }

        /** Signs in on the sign-in page and answers where it leads. */
        String signIn() {
            assertThat(get("/admin/login").statusCode()).isEqualTo(200);
            HttpResponse<String> signedIn = post("/admin/login", "key", ADMIN_KEY);
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
            return pathOf(signedIn);
        }
    }

    private static String pathOf(HttpResponse<String> redirect) {
        URI location = URI.create(redirect.headers().firstValue("location").orElseThrow());
        return location.getRawPath() + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
    }

    private String newApproval() {
        TestAccount account = newAccount(true);
        return requested(account, bankAccountId(account)).text("id");
    }

    private static void assertPage(HttpResponse<String> page, int status, String title) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(status);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<title>" + title + " - Admin console</title>");
    }

    /**
     * A review sent after the session ended (here: its cookie is gone) changes nothing and asks to sign in again,
     * then returns to the approval's page; a form without its token, in a live session, is refused on a page that
     * leads back.
     */
    @Test
    void aReviewAfterTheSessionEndedAsksToSignInAgainAndReturnsToTheApproval() {
        String approvalId = newApproval();
        Console before = new Console();
        before.openApproval(approvalId);

        Console after = before.withSessionEnded();
        HttpResponse<String> accept = after.post("/admin/approvals/" + approvalId + "/accept");
        assertThat(accept.statusCode()).as(accept.body()).isEqualTo(302);
        assertThat(pathOf(accept)).isEqualTo("/admin/login?expired");
        HttpResponse<String> login = after.get("/admin/login?expired");
        assertPage(login, 200, "Sign in");
        assertThat(login.body()).contains("Your session has ended, so nothing was changed. Sign in again");
        HttpResponse<String> signedIn = after.post("/admin/login", "key", ADMIN_KEY);
        assertThat(pathOf(signedIn)).isEqualTo("/admin/approvals/" + approvalId + "?continue");
        assertPage(after.get(pathOf(signedIn)), 200, "Approval " + approvalId);
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");

        Console projections = new Console();
        projections.signIn();
        projections.get("/admin/projections");
        Console rebuild = projections.withSessionEnded();
        assertThat(pathOf(rebuild.post("/admin/projections/approvals/rebuild"))).isEqualTo("/admin/login?expired");
        assertThat(rebuild.signIn()).isEqualTo("/admin/projections?continue");

        Console noToken = new Console();
        noToken.signIn();
        noToken.get("/admin");
        noToken.session.csrf = null;
        HttpResponse<String> refused = noToken.post("/admin/approvals/" + approvalId + "/decline", "reason", "No");
        assertPage(refused, 403, "Request refused");
        assertThat(refused.body()).contains("Nothing was changed.")
                .contains("<a id=\"back\" href=\"/admin/approvals/" + approvalId + "\">Back to the page</a>")
                .doesNotContain("statusCode");
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");
    }

    @Test
    void signingOutAfterTheSessionEndedEndsSignedOut() {
        Console before = new Console();
        before.signIn();
        before.get("/admin");
        Console after = before.withSessionEnded();
        HttpResponse<String> signOut = after.post("/admin/logout");
        assertThat(signOut.statusCode()).as(signOut.body()).isEqualTo(302);
        assertThat(pathOf(signOut)).isEqualTo("/admin/login?signed-out");
        assertThat(after.get("/admin/login?signed-out").body()).contains("You have signed out.");

        // Without any session cookie (a form from another site: the cookie is SameSite=Strict), nothing is claimed.
        Console elsewhere = new Console();
        elsewhere.session.csrf = before.session.csrf;
        HttpResponse<String> forged = elsewhere.post("/admin/logout");
        assertPage(forged, 403, "Request refused");

        HttpResponse<String> signedOut = before.post("/admin/logout");
        assertThat(pathOf(signedOut)).isEqualTo("/admin/login?signed-out");
        assertThat(pathOf(before.get("/admin"))).isEqualTo("/admin/login");
    }

    /**
     * A redirect names the path only. Built from the request's Host header, which a client sets, it led to any host
     * (behind a proxy passing Host on, a cache could keep that).
     */
    @Test
    void redirectsStayOnThisServerWhateverHostTheRequestNames() throws IOException {
        URI server = URI.create(api.url("/"));
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.getOutputStream().write(("GET /admin/approvals/x HTTP/1.1\r\nHost: evil.example\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 302").containsIgnoringCase("\r\nLocation: /admin/login\r\n")
                    .doesNotContain("evil.example");
        }
    }

    /** An approval's address opened without a session: after signing in, that approval, not the list. */
    @Test
    void signingInLeadsToThePageAskedFor() {
        String approvalId = newApproval();
        Console console = new Console();
        HttpResponse<String> asked = console.get("/admin/approvals/" + approvalId);
        assertThat(asked.statusCode()).isEqualTo(302);
        assertThat(pathOf(asked)).isEqualTo("/admin/login");
        assertThat(console.signIn()).isEqualTo("/admin/approvals/" + approvalId + "?continue");

        assertThat(new Console().signIn()).as("nothing asked for: the list").isEqualTo("/admin");
    }

    /** What the console does not have is a page of its own with a way back; the API keeps its JSON. */
    @Test
    void unknownApprovalsAndPathsArePagesOfTheConsole() {
        Console console = new Console();
        console.signIn();
        for (String path : new String[] {"/admin/approvals/5Xq7FYxYDHnPVF9ABcDEfG", "/admin/approvals/not-an-id",
                "/admin/approvals/5Xq7FYxYDHnPVF9ABcDEfG/evidence", "/admin/no-such-page"}) {
            HttpResponse<String> page = console.get(path);
            assertPage(page, 404, "Page not found");
            assertThat(page.body()).as(path).contains("<a id=\"back\" href=\"/admin\">Back to the approvals</a>");
        }
        console.get("/admin");
        HttpResponse<String> wrongMethod = console.post("/admin/projections");
        assertPage(wrongMethod, 405, "Not available");
        assertThat(wrongMethod.headers().firstValue("allow")).isPresent();
        assertThat(console.get("/admin/admin.css").statusCode()).isEqualTo(200);
        assertRefused(api.get("/api/bank-account-approvals/5Xq7FYxYDHnPVF9ABcDEfG", ADMIN_KEY), 404,
                "APPROVAL_NOT_FOUND");
        assertRefused(api.get("/api/no-such-thing", ADMIN_KEY), 404, "NOT_FOUND");
    }

    /** A review that fails for a fault (here the database refuses its event) answers the console's page, not JSON. */
    @Test
    void aReviewThatFailsAnswersThePageOfTheConsole() {
        String approvalId = newApproval();
        Console console = new Console();
        console.signIn();
        console.get("/admin/approvals/" + approvalId);
        HttpResponse<String> failed = withEventsRefused(approvalId,
                () -> console.post("/admin/approvals/" + approvalId + "/accept"));

        assertPage(failed, 500, "Something went wrong");
        assertThat(failed.body()).contains("<a id=\"back\" href=\"/admin\">Back to the approvals</a>")
                .doesNotContain("refused by the test");
        assertThat(failed.headers().firstValue("content-security-policy")).isPresent();
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");
    }

    /** A review that keeps losing its append (as to another node's, every retry) answers the console's 409 page. */
    @Test
    void aReviewThatKeepsConflictingAnswersThePageOfTheConsole() {
        String approvalId = newApproval();
        Console console = new Console();
        console.signIn();
        console.get("/admin/approvals/" + approvalId);
        HttpResponse<String> conflicted = withEventsRefused(approvalId, "23505",
                () -> console.post("/admin/approvals/" + approvalId + "/accept"));

        assertPage(conflicted, 409, "Changed meanwhile");
        assertThat(conflicted.headers().firstValue("content-security-policy")).isPresent();
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");
    }

    /**
     * A name outside ISO-8859-1 reaches the browser in UTF-8. A right-to-left override is taken out: it showed
     * "statement" + U+202E + "gnp.png" as "statementgnp.png" reversed, and a ".exe" as ".png".
     */
    @Test
    void anEvidenceFileKeepsItsNameOutsideLatin1() throws IOException {
        TestAccount account = newAccount(true);
        String fileName = "statement\u202E\u20ACgnp.png";
        ApiClient.Response uploaded = upload(account, fileName, "image/png", png(1200, 80));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        ApiClient.Response approval = request(account, uploaded.text("id"), bankAccountId(account), "settlement");
        assertThat(approval.status()).as(approval.toString()).isEqualTo(200);
        Console console = new Console();
        console.signIn();

        HttpResponse<String> evidence = console.get("/admin/approvals/" + approval.text("id") + "/evidence");
        assertThat(evidence.statusCode()).isEqualTo(200);
        assertThat(evidence.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(evidence.headers().firstValue("content-disposition")).hasValueSatisfying(disposition ->
                assertThat(disposition).startsWith("inline; ")
                        .endsWith("; filename*=UTF-8''statement%E2%82%ACgnp.png"));
    }

    /** The decline's reason is required: the form says so, and the error stands at the field it is about. */
    @Test
    void aDeclineWithoutAReasonShowsTheErrorAtTheReason() {
        String approvalId = newApproval();
        Console console = new Console();
        console.signIn();
        HttpResponse<String> page = console.get("/admin/approvals/" + approvalId);
        assertThat(page.body()).contains("<textarea id=\"reason\" name=\"reason\" rows=\"2\" required></textarea>");

        HttpResponse<String> declined = console.post("/admin/approvals/" + approvalId + "/decline", "reason", " ");
        assertThat(pathOf(declined)).isEqualTo("/admin/approvals/" + approvalId);
        HttpResponse<String> again = console.get(pathOf(declined));
        assertThat(again.body()).contains("<label for=\"reason\">Reason for declining (required, at most 1000 "
                        + "characters)</label>\n"
                        + "<p class=\"error\" id=\"reason-error\">A reason is required to decline.</p>\n"
                        + "<textarea id=\"reason\" name=\"reason\" rows=\"2\" required "
                        + "aria-invalid=\"true\" aria-describedby=\"reason-error\"></textarea>")
                .doesNotContain("id=\"error\"");
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");

        Console wrongKey = new Console();
        wrongKey.get("/admin/login");
        HttpResponse<String> refused = wrongKey.post("/admin/login", "key", "not-the-key");
        assertThat(pathOf(refused)).isEqualTo("/admin/login?error");
        assertThat(wrongKey.get("/admin/login?error").body()).contains("<p class=\"error\" role=\"alert\" id=\"error\">")
                .contains("required aria-invalid=\"true\" aria-describedby=\"error\">");
        assertThat(wrongKey.get("/admin/login").body()).doesNotContain("aria-invalid");
    }

    /**
     * The limit is the API's, in characters: 1,000 emoji are taken (a browser's maxlength would have stopped them at
     * 500, counting UTF-16 units); one character more is refused at the field, with the text given back to shorten.
     */
    @Test
    void aReasonIsLimitedInCharactersAndAnOverlongOneIsGivenBack() {
        String approvalId = newApproval();
        Console console = new Console();
        console.signIn();
        String overlong = "\uD83C\uDFE6".repeat(1000) + "x";
        assertThat(console.get("/admin/approvals/" + approvalId).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = console.post("/admin/approvals/" + approvalId + "/decline", "reason", overlong);
        HttpResponse<String> again = console.get(pathOf(refused));
        assertThat(again.body()).contains("<p class=\"error\" id=\"reason-error\">A reason is at most 1000 "
                        + "characters.</p>")
                .contains("rows=\"2\" required aria-invalid=\"true\" aria-describedby=\"reason-error\">" + overlong
                        + "</textarea>");
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");

        // Accept has no reason field: a hand-made overlong one is the page's error.
        HttpResponse<String> accept = console.post("/admin/approvals/" + approvalId + "/accept", "reason", overlong);
        assertThat(console.get(pathOf(accept)).body())
                .contains("id=\"error\">A reason is at most 1000 characters.</p>")
                .doesNotContain("id=\"reason-error\"");
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");

        HttpResponse<String> declined = console.post("/admin/approvals/" + approvalId + "/decline", "reason",
                "\uD83C\uDFE6".repeat(1000));
        assertThat(console.get(pathOf(declined)).body()).contains("Approval declined.");
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("declined");
    }

    /**
     * A reason given twice, in the form or in the query and the form, is refused and nothing changes. Before, Spring
     * joined them ("a,b"), and the decline's event kept that for good.
     */
    @Test
    void aReasonGivenTwiceIsRefusedAndNothingIsDeclined() {
        String approvalId = newApproval();
        Console console = new Console();
        console.openApproval(approvalId);
        String decline = "/admin/approvals/" + approvalId + "/decline";
        for (HttpResponse<String> refused : List.of(console.post(decline, "reason", "a", "reason", "b"),
                console.post(decline + "?reason=fromquery", "reason", "fromform"))) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("parameter 'reason' must be given once");
        }
        assertThat(get(approvalId, ADMIN_KEY).text("status")).isEqualTo("created");
    }

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x / 40 + y / 40) % 2 == 0 ? 0x0B4F8A : 0xF4F5F7);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }
}
