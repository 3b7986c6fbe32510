package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Bank account approvals: requests, reviews, activities, the bank account's summary and the audit history. */
class ApprovalsApiTest extends ApiTestSupport {

    private static final String ADMIN_CRN = "crn::api-key:admin";

    private Response upload(TestAccount account) {
        String boundary = "approvals-test-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"statement.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n"
                + "%PDF-1.4\n% a bank statement\n%%EOF\n"
                + "\r\n--" + boundary + "--\r\n";
        return api.send(api.request("/api/media-uploads", account.key())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.ISO_8859_1)))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .build());
    }

    private String mediaUploadId(TestAccount account) {
        Response uploaded = upload(account);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        return uploaded.text("id");
    }

    private String bankAccountId(TestAccount account) {
        Response created = createBankAccount(account, uniqueTestNumber());
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.text("id");
    }

    private Response request(TestAccount account, String mediaUploadId, String bankAccountId, String type) {
        return api.post("/api/bank-account-approvals", account.key(),
                ApiClient.map("mediaUploadId", mediaUploadId, "bankAccountId", bankAccountId, "type", type));
    }

    /** A settlement approval of a new bank account of the account, in status created. */
    private Response requested(TestAccount account, String bankAccountId) {
        Response approval = request(account, mediaUploadId(account), bankAccountId, "settlement");
        assertThat(approval.status()).as(approval.toString()).isEqualTo(200);
        return approval;
    }

    private Response review(String approvalId, String action, String key, Object body) {
        return api.post("/api/bank-account-approvals/" + approvalId + "/" + action, key, body);
    }

    private Response reviewWithoutBody(String approvalId, String action, String key) {
        return api.send(api.request("/api/bank-account-approvals/" + approvalId + "/" + action, key)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private Response get(String approvalId, String key) {
        return api.get("/api/bank-account-approvals/" + approvalId, key);
    }

    private Response list(String bankAccountId, String key) {
        return api.get("/api/bank-accounts/" + bankAccountId + "/approvals", key);
    }

    private Response history(String approvalId, String key) {
        return api.get("/api/bank-account-approvals/" + approvalId + "/history", key);
    }

    private long approvalsStoredFor(String bankAccountId) {
        long registered = jdbc.sql("SELECT COUNT(*) FROM approval_registry WHERE bank_account_id = ?")
                .param(bankAccountId).query(Long.class).single();
        long viewed = jdbc.sql("SELECT COUNT(*) FROM approval_view WHERE bank_account_id = ?")
                .param(bankAccountId).query(Long.class).single();
        return registered + viewed;
    }

    private static void assertActivity(JsonNode activity, int number, String approvalId, String type, String reason,
                                       String createdBy) {
        assertThat(activity.get("activityNumber").asInt()).as(activity.toString()).isEqualTo(number);
        assertThat(activity.get("activityNumber").isIntegralNumber()).as(activity.toString()).isTrue();
        assertThat(activity.get("approvalId").asString()).isEqualTo(approvalId);
        assertThat(activity.get("activityType").asString()).isEqualTo(type);
        assertThat(activity.get("createdAt").asString()).matches(TIMESTAMP);
        assertThat(activity.get("createdBy").asString()).isEqualTo(createdBy);
        if (reason == null) {
            assertThat(activity.has("reason")).as(activity.toString()).isFalse();
        } else {
            assertThat(activity.get("reason").asString()).isEqualTo(reason);
        }
    }

    @Test
    void aRequestAnswersTheWholeApprovalAndGetAndListShowTheSame() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        String mediaUploadId = mediaUploadId(account);

        Response created = request(account, mediaUploadId, bankAccountId, "settlement");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode body = created.json();
        assertThat(body.get("id").asString()).hasSize(22).isNotEqualTo(bankAccountId).isNotEqualTo(mediaUploadId);
        assertThat(body.get("mediaUploadId").asString()).isEqualTo(mediaUploadId);
        assertThat(body.get("bankAccountId").asString()).isEqualTo(bankAccountId);
        assertThat(body.get("accountId").asString()).isEqualTo(account.id());
        assertThat(body.get("type").asString()).isEqualTo("settlement");
        assertThat(body.get("status").asString()).isEqualTo("created");
        assertThat(body.get("createdAt").asString()).matches(TIMESTAMP);
        assertThat(body.get("createdBy").asString()).isEqualTo(crn(account));
        assertThat(body.get("modifiedAt").asString()).isEqualTo(body.get("createdAt").asString());
        assertThat(body.get("modifiedBy").asString()).isEqualTo(crn(account));
        assertThat(body.has("refreshToken")).as("a settlement approval has no refresh token").isFalse();
        assertThat(body.has("consentId")).isFalse();
        JsonNode activities = body.get("approvalActivities");
        assertThat(activities.isArray()).isTrue();
        assertThat(activities.size()).isEqualTo(1);
        assertActivity(activities.get(0), 1, body.get("id").asString(), "created", null, crn(account));
        assertThat(activities.get(0).get("createdAt").asString()).isEqualTo(body.get("createdAt").asString());

        String approvalId = body.get("id").asString();
        Response read = get(approvalId, account.key());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(body);

        Response listed = list(bankAccountId, account.key());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().size()).as("only items: " + listed).isEqualTo(1);
        assertThat(listed.json().get("items").size()).isEqualTo(1);
        assertThat(listed.json().get("items").get(0)).isEqualTo(body);

        assertThat(get(approvalId, ADMIN_KEY).json()).isEqualTo(body);
        assertThat(list(bankAccountId, ADMIN_KEY).json().get("items").get(0)).isEqualTo(body);
    }

    @Test
    void aBankAccountWithoutApprovalsListsNone() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        Response listed = list(bankAccountId, account.key());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("items").isArray()).isTrue();
        assertThat(listed.json().get("items").size()).isZero();
        JsonNode bankAccount = api.get("/api/bank-accounts/" + bankAccountId, account.key()).json();
        assertThat(bankAccount.get("approvals").isArray()).as(bankAccount.toString()).isTrue();
        assertThat(bankAccount.get("approvals").size()).isZero();
    }

    @Test
    void onlySettlementApprovalsCanBeRequested() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        String mediaUploadId = mediaUploadId(account);
        for (String type : List.of("account-consent", "payment-consent", "nonsense", "SETTLEMENT", "")) {
            Response refused = request(account, mediaUploadId, bankAccountId, type);
            assertThat(refused.status()).as(type + " -> " + refused).isEqualTo(400);
            assertThat(refused.message()).as(refused.toString()).contains("type");
        }
        assertThat(approvalsStoredFor(bankAccountId)).isZero();
        assertThat(list(bankAccountId, account.key()).json().get("items").size()).isZero();
    }

    @Test
    void badInputAnswers400AndStoresNothing() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        String mediaUploadId = mediaUploadId(account);
        List<Object> bodies = List.of(
                ApiClient.map("bankAccountId", bankAccountId, "type", "settlement"),
                ApiClient.map("mediaUploadId", mediaUploadId, "type", "settlement"),
                ApiClient.map("mediaUploadId", mediaUploadId, "bankAccountId", bankAccountId),
                ApiClient.map("mediaUploadId", "", "bankAccountId", bankAccountId, "type", "settlement"),
                ApiClient.map("mediaUploadId", mediaUploadId, "bankAccountId", "  ", "type", "settlement"),
                ApiClient.map("mediaUploadId", mediaUploadId, "bankAccountId", bankAccountId, "type", null),
                ApiClient.map("mediaUploadId", 12, "bankAccountId", bankAccountId, "type", "settlement"),
                ApiClient.map(),
                "{\"mediaUploadId\": \"" + mediaUploadId + "\", ",
                "not json at all",
                "[]");
        for (Object body : bodies) {
            Response refused = api.post("/api/bank-account-approvals", account.key(), body);
            assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
            assertThat(refused.json().get("statusCode").asInt()).isEqualTo(400);
            assertThat(refused.message()).isNotBlank();
        }
        Response missing = api.post("/api/bank-account-approvals", account.key(),
                ApiClient.map("mediaUploadId", mediaUploadId, "type", "settlement"));
        assertThat(missing.message()).isEqualTo("bankAccountId is required");
        Response empty = api.postRaw("/api/bank-account-approvals", account.key(), "application/json", "");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
        Response notJson = api.postRaw("/api/bank-account-approvals", account.key(), "text/plain", "settlement");
        assertThat(notJson.status()).as(notJson.toString()).isEqualTo(415);
        assertThat(approvalsStoredFor(bankAccountId)).isZero();
        assertThat(list(bankAccountId, account.key()).json().get("items").size()).isZero();
    }

    @Test
    void theMediaUploadAndTheBankAccountMustBeTheCallers() {
        TestAccount owner = newAccount(true);
        TestAccount other = newAccount(true);
        String ownBankAccount = bankAccountId(owner);
        String ownUpload = mediaUploadId(owner);
        String othersBankAccount = bankAccountId(other);
        String othersUpload = mediaUploadId(other);

        assertRefused(request(owner, othersUpload, ownBankAccount, "settlement"), 404, "MEDIA_UPLOAD_NOT_FOUND");
        assertRefused(request(owner, ownUpload, othersBankAccount, "settlement"), 404, "BANK_ACCOUNT_NOT_FOUND");
        assertRefused(request(owner, othersUpload, othersBankAccount, "settlement"), 404, "BANK_ACCOUNT_NOT_FOUND");
        assertRefused(request(owner, "uooxSens6ykJaim1Cu1Q55", ownBankAccount, "settlement"), 404,
                "MEDIA_UPLOAD_NOT_FOUND");
        assertRefused(request(owner, ownUpload, "WRhAxxWpTKb5U7pXyxQjjY", "settlement"), 404,
                "BANK_ACCOUNT_NOT_FOUND");
        // A media upload of the account is not a bank account, and the other way round.
        assertRefused(request(owner, ownBankAccount, ownBankAccount, "settlement"), 404, "MEDIA_UPLOAD_NOT_FOUND");
        assertRefused(request(owner, ownUpload, ownUpload, "settlement"), 404, "BANK_ACCOUNT_NOT_FOUND");

        assertThat(approvalsStoredFor(ownBankAccount)).isZero();
        assertThat(approvalsStoredFor(othersBankAccount)).isZero();
        assertThat(list(ownBankAccount, owner.key()).json().get("items").size()).isZero();
        assertThat(list(othersBankAccount, other.key()).json().get("items").size()).isZero();
    }

    @Test
    void aSecondSettlementApprovalWaitsUntilTheFirstIsReviewed() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        String first = requested(account, bankAccountId).text("id");

        Response refused = request(account, mediaUploadId(account), bankAccountId, "settlement");
        assertRefused(refused, 403, "APPROVAL_ALREADY_IN_PROGRESS");
        assertThat(refused.json().get("statusCode").asInt()).isEqualTo(403);
        assertThat(refused.text("error")).isEqualTo("Forbidden");
        assertThat(list(bankAccountId, account.key()).json().get("items").size()).isEqualTo(1);

        // Another bank account of the same account is not held up.
        String otherBankAccount = bankAccountId(account);
        requested(account, otherBankAccount);

        assertEmptyObject(review(first, "decline", ADMIN_KEY, ApiClient.map("reason", "Statement is unreadable")));
        Response second = request(account, mediaUploadId(account), bankAccountId, "settlement");
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.text("status")).isEqualTo("created");
        assertRefused(request(account, mediaUploadId(account), bankAccountId, "settlement"), 403,
                "APPROVAL_ALREADY_IN_PROGRESS");

        assertEmptyObject(review(second.text("id"), "accept", ADMIN_KEY, ApiClient.map()));
        Response third = request(account, mediaUploadId(account), bankAccountId, "settlement");
        assertThat(third.status()).as("an approved approval no longer awaits review: " + third).isEqualTo(200);

        JsonNode items = list(bankAccountId, account.key()).json().get("items");
        assertThat(items.size()).isEqualTo(3);
        List<String> statuses = new ArrayList<>();
        items.forEach(item -> statuses.add(item.get("status").asString()));
        assertThat(statuses).containsExactlyInAnyOrder("declined", "approved", "created");
    }

    @Test
    void acceptingWithAReasonApprovesAndRecordsTheReviewer() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        JsonNode created = requested(account, bankAccountId).json();
        String approvalId = created.get("id").asString();

        assertEmptyObject(review(approvalId, "accept", ADMIN_KEY, ApiClient.map("reason", "All details match")));

        JsonNode approved = get(approvalId, account.key()).json();
        assertThat(approved.get("status").asString()).isEqualTo("approved");
        assertThat(approved.get("modifiedBy").asString()).isEqualTo(ADMIN_CRN);
        assertThat(approved.get("modifiedAt").asString()).matches(TIMESTAMP)
                .isGreaterThanOrEqualTo(created.get("createdAt").asString());
        assertThat(approved.get("createdAt")).isEqualTo(created.get("createdAt"));
        assertThat(approved.get("createdBy")).isEqualTo(created.get("createdBy"));
        assertThat(approved.get("mediaUploadId")).isEqualTo(created.get("mediaUploadId"));
        JsonNode activities = approved.get("approvalActivities");
        assertThat(activities.size()).isEqualTo(2);
        assertThat(activities.get(0)).isEqualTo(created.get("approvalActivities").get(0));
        assertActivity(activities.get(1), 2, approvalId, "approved", "All details match", ADMIN_CRN);
        assertThat(activities.get(1).get("createdAt")).isEqualTo(approved.get("modifiedAt"));
        assertThat(list(bankAccountId, account.key()).json().get("items").get(0)).isEqualTo(approved);
    }

    @Test
    void acceptingWithoutAReasonOrWithoutABodyApprovesToo() {
        TestAccount account = newAccount(true);
        String withEmptyObject = requested(account, bankAccountId(account)).text("id");
        String withoutBody = requested(account, bankAccountId(account)).text("id");
        String withBlankReason = requested(account, bankAccountId(account)).text("id");

        assertEmptyObject(review(withEmptyObject, "accept", ADMIN_KEY, ApiClient.map()));
        assertEmptyObject(reviewWithoutBody(withoutBody, "accept", ADMIN_KEY));
        assertEmptyObject(review(withBlankReason, "accept", ADMIN_KEY, ApiClient.map("reason", "   ")));

        for (String approvalId : List.of(withEmptyObject, withoutBody, withBlankReason)) {
            JsonNode approved = get(approvalId, account.key()).json();
            assertThat(approved.get("status").asString()).as(approved.toString()).isEqualTo("approved");
            JsonNode activities = approved.get("approvalActivities");
            assertThat(activities.size()).isEqualTo(2);
            assertActivity(activities.get(1), 2, approvalId, "approved", null, ADMIN_CRN);
        }
    }

    @Test
    void decliningNeedsAReason() {
        TestAccount account = newAccount(true);
        String approvalId = requested(account, bankAccountId(account)).text("id");

        for (Object body : List.of(ApiClient.map(), ApiClient.map("reason", ""), ApiClient.map("reason", "  "),
                ApiClient.map("reason", null), ApiClient.map("reason", 42), ApiClient.map("reason", "x".repeat(1001)),
                "{\"reason\": ")) {
            Response refused = review(approvalId, "decline", ADMIN_KEY, body);
            assertThat(refused.status()).as(body + " -> " + refused).isEqualTo(400);
        }
        Response noBody = reviewWithoutBody(approvalId, "decline", ADMIN_KEY);
        assertRefused(noBody, 400, "reason is required");
        assertRefused(review(approvalId, "decline", ADMIN_KEY, ApiClient.map()), 400, "reason is required");
        JsonNode stillCreated = get(approvalId, account.key()).json();
        assertThat(stillCreated.get("status").asString()).isEqualTo("created");
        assertThat(stillCreated.get("approvalActivities").size()).isEqualTo(1);

        assertEmptyObject(review(approvalId, "decline", ADMIN_KEY, ApiClient.map("reason", "Name does not match")));
        JsonNode declined = get(approvalId, account.key()).json();
        assertThat(declined.get("status").asString()).isEqualTo("declined");
        assertThat(declined.get("modifiedBy").asString()).isEqualTo(ADMIN_CRN);
        JsonNode activities = declined.get("approvalActivities");
        assertThat(activities.size()).isEqualTo(2);
        assertActivity(activities.get(1), 2, approvalId, "declined", "Name does not match", ADMIN_CRN);
    }

    @Test
    void aReviewedApprovalCannotBeReviewedAgain() {
        TestAccount account = newAccount(true);
        String accepted = requested(account, bankAccountId(account)).text("id");
        String declined = requested(account, bankAccountId(account)).text("id");
        assertEmptyObject(review(accepted, "accept", ADMIN_KEY, ApiClient.map("reason", "ok")));
        assertEmptyObject(review(declined, "decline", ADMIN_KEY, ApiClient.map("reason", "no")));

        for (String approvalId : List.of(accepted, declined)) {
            String before = get(approvalId, account.key()).body();
            assertRefused(review(approvalId, "accept", ADMIN_KEY, ApiClient.map("reason", "again")), 403,
                    "APPROVAL_ALREADY_REVIEWED");
            assertRefused(reviewWithoutBody(approvalId, "accept", ADMIN_KEY), 403, "APPROVAL_ALREADY_REVIEWED");
            assertRefused(review(approvalId, "decline", ADMIN_KEY, ApiClient.map("reason", "again")), 403,
                    "APPROVAL_ALREADY_REVIEWED");
            assertThat(get(approvalId, account.key()).body()).isEqualTo(before);
        }
    }

    @Test
    void completingAnApprovedApprovalMakesItDone() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        String approvalId = requested(account, bankAccountId).text("id");

        assertRefused(review(approvalId, "complete", ADMIN_KEY, ApiClient.map()), 403, "APPROVAL_NOT_APPROVED");
        assertThat(get(approvalId, account.key()).json().get("approvalActivities").size()).isEqualTo(1);

        assertEmptyObject(review(approvalId, "accept", ADMIN_KEY, ApiClient.map("reason", "All details match")));
        assertEmptyObject(review(approvalId, "complete", ADMIN_KEY, ApiClient.map("reason", "Funds released")));

        JsonNode done = get(approvalId, account.key()).json();
        assertThat(done.get("status").asString()).isEqualTo("done");
        JsonNode activities = done.get("approvalActivities");
        assertThat(activities.size()).isEqualTo(3);
        assertActivity(activities.get(0), 1, approvalId, "created", null, crn(account));
        assertActivity(activities.get(1), 2, approvalId, "approved", "All details match", ADMIN_CRN);
        assertActivity(activities.get(2), 3, approvalId, "done", "Funds released", ADMIN_CRN);

        assertRefused(review(approvalId, "complete", ADMIN_KEY, ApiClient.map()), 403, "APPROVAL_NOT_APPROVED");
        assertRefused(review(approvalId, "accept", ADMIN_KEY, ApiClient.map()), 403, "APPROVAL_ALREADY_REVIEWED");
        assertRefused(review(approvalId, "decline", ADMIN_KEY, ApiClient.map("reason", "late")), 403,
                "APPROVAL_ALREADY_REVIEWED");
        // done no longer awaits review: a new request is allowed.
        assertThat(request(account, mediaUploadId(account), bankAccountId, "settlement").status()).isEqualTo(200);

        String declined = requested(account, bankAccountId(account)).text("id");
        assertEmptyObject(review(declined, "decline", ADMIN_KEY, ApiClient.map("reason", "no")));
        assertRefused(reviewWithoutBody(declined, "complete", ADMIN_KEY), 403, "APPROVAL_NOT_APPROVED");
        assertThat(get(declined, account.key()).json().get("status").asString()).isEqualTo("declined");
    }

    @Test
    void onlyTheAdminKeyReviews() {
        TestAccount owner = newAccount(true);
        TestAccount other = newAccount(true);
        String approvalId = requested(owner, bankAccountId(owner)).text("id");
        String before = get(approvalId, owner.key()).body();

        for (TestAccount caller : List.of(owner, other)) {
            assertRefused(review(approvalId, "accept", caller.key(), ApiClient.map("reason", "mine")), 403,
                    "ADMIN_KEY_REQUIRED");
            assertRefused(reviewWithoutBody(approvalId, "accept", caller.key()), 403, "ADMIN_KEY_REQUIRED");
            assertRefused(review(approvalId, "decline", caller.key(), ApiClient.map("reason", "mine")), 403,
                    "ADMIN_KEY_REQUIRED");
            assertRefused(review(approvalId, "complete", caller.key(), ApiClient.map()), 403, "ADMIN_KEY_REQUIRED");
        }
        assertThat(get(approvalId, owner.key()).body()).isEqualTo(before);

        assertEmptyObject(review(approvalId, "accept", ADMIN_KEY, ApiClient.map()));
        assertRefused(review(approvalId, "complete", owner.key(), ApiClient.map()), 403, "ADMIN_KEY_REQUIRED");
        assertThat(get(approvalId, owner.key()).json().get("status").asString()).isEqualTo("approved");

        for (String action : List.of("accept", "decline", "complete")) {
            Response noKey = review(approvalId, action, null, ApiClient.map("reason", "x"));
            assertRefused(noKey, 401, "API_KEY_REQUIRED");
            Response wrongKey = review(approvalId, action, owner.key() + "x", ApiClient.map("reason", "x"));
            assertRefused(wrongKey, 401, "API_KEY_INVALID");
        }
    }

    @Test
    void unknownApprovalsAnswer404() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        for (String unknown : List.of("DcTs3U38HdhfEqwF1GKoT3", "not-an-id", bankAccountId)) {
            assertRefused(get(unknown, account.key()), 404, "APPROVAL_NOT_FOUND");
            assertRefused(get(unknown, ADMIN_KEY), 404, "APPROVAL_NOT_FOUND");
            assertRefused(history(unknown, account.key()), 404, "APPROVAL_NOT_FOUND");
            assertRefused(history(unknown, ADMIN_KEY), 404, "APPROVAL_NOT_FOUND");
            assertRefused(review(unknown, "accept", ADMIN_KEY, ApiClient.map()), 404, "APPROVAL_NOT_FOUND");
            assertRefused(review(unknown, "decline", ADMIN_KEY, ApiClient.map("reason", "x")), 404,
                    "APPROVAL_NOT_FOUND");
            assertRefused(review(unknown, "complete", ADMIN_KEY, ApiClient.map()), 404, "APPROVAL_NOT_FOUND");
        }
        assertRefused(list("WRhAxxWpTKb5U7pXyxQjjY", account.key()), 404, "BANK_ACCOUNT_NOT_FOUND");
        assertRefused(list("WRhAxxWpTKb5U7pXyxQjjY", ADMIN_KEY), 404, "BANK_ACCOUNT_NOT_FOUND");
        // The bank account is untouched by the attempts on its id.
        assertThat(api.get("/api/bank-accounts/" + bankAccountId, account.key()).status()).isEqualTo(200);
    }

    @Test
    void anotherAccountsKeyFindsNothing() {
        TestAccount owner = newAccount(true);
        TestAccount intruder = newAccount(true);
        String bankAccountId = bankAccountId(owner);
        String approvalId = requested(owner, bankAccountId).text("id");
        assertEmptyObject(review(approvalId, "accept", ADMIN_KEY, ApiClient.map("reason", "ok")));

        assertRefused(get(approvalId, intruder.key()), 404, "APPROVAL_NOT_FOUND");
        assertRefused(list(bankAccountId, intruder.key()), 404, "BANK_ACCOUNT_NOT_FOUND");
        assertRefused(history(approvalId, intruder.key()), 404, "APPROVAL_NOT_FOUND");
        // Requests on someone else's resources change nothing.
        String intruderUpload = mediaUploadId(intruder);
        assertRefused(request(intruder, intruderUpload, bankAccountId, "settlement"), 404, "BANK_ACCOUNT_NOT_FOUND");
        assertThat(list(bankAccountId, owner.key()).json().get("items").size()).isEqualTo(1);
        assertThat(api.get("/api/bank-accounts/" + bankAccountId, intruder.key()).status()).isEqualTo(404);
        assertThat(get(approvalId, owner.key()).status()).isEqualTo(200);
        assertThat(history(approvalId, owner.key()).status()).isEqualTo(200);
    }

    @Test
    void theBankAccountShowsASummaryOfItsApprovals() {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        String declined = requested(account, bankAccountId).text("id");
        assertEmptyObject(review(declined, "decline", ADMIN_KEY, ApiClient.map("reason", "blurry")));
        String done = requested(account, bankAccountId).text("id");
        assertEmptyObject(review(done, "accept", ADMIN_KEY, ApiClient.map()));
        assertEmptyObject(review(done, "complete", ADMIN_KEY, ApiClient.map()));
        String open = requested(account, bankAccountId).text("id");

        JsonNode bankAccount = api.get("/api/bank-accounts/" + bankAccountId, account.key()).json();
        JsonNode summaries = bankAccount.get("approvals");
        assertThat(summaries.isArray()).as(bankAccount.toString()).isTrue();
        assertThat(summaries.size()).isEqualTo(3);
        // Oldest change first, one per approval, with the approval's own status and modifiedAt.
        List<String> ids = List.of(declined, done, open);
        for (int i = 0; i < ids.size(); i++) {
            JsonNode approval = get(ids.get(i), account.key()).json();
            JsonNode summary = summaries.get(i);
            assertThat(summary.size()).as(summary.toString()).isEqualTo(3);
            assertThat(summary.get("type").asString()).isEqualTo("settlement");
            assertThat(summary.get("status").asString()).isEqualTo(approval.get("status").asString());
            assertThat(summary.get("updatedAt").asString()).matches(TIMESTAMP)
                    .isEqualTo(approval.get("modifiedAt").asString());
        }
        assertThat(summaries.get(0).get("status").asString()).isEqualTo("declined");
        assertThat(summaries.get(1).get("status").asString()).isEqualTo("done");
        assertThat(summaries.get(2).get("status").asString()).isEqualTo("created");

        JsonNode listed = api.get("/api/accounts/" + account.id() + "/bank-accounts", account.key()).json();
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0)).isEqualTo(bankAccount);
        assertThat(api.get("/api/bank-authorities/" + bankAccountId, account.key()).json().get("approvals"))
                .isEqualTo(summaries);

        // The command side's answer (from its own registry) shows the same summary.
        Response authorized = api.post("/api/bank-accounts/" + bankAccountId + "/direct-debit-authorities",
                account.key(), authority());
        assertThat(authorized.status()).as(authorized.toString()).isEqualTo(200);
        assertThat(authorized.json().get("approvals")).isEqualTo(summaries);
        assertThat(api.get("/api/bank-accounts/" + bankAccountId, account.key()).json()).isEqualTo(authorized.json());

        // A review moves the approval to the end of the summary, with its new status.
        assertEmptyObject(review(open, "accept", ADMIN_KEY, ApiClient.map()));
        JsonNode after = api.get("/api/bank-accounts/" + bankAccountId, account.key()).json().get("approvals");
        assertThat(after.size()).isEqualTo(3);
        assertThat(after.get(2).get("status").asString()).isEqualTo("approved");
        assertThat(after.get(2).get("updatedAt").asString())
                .isEqualTo(get(open, account.key()).json().get("modifiedAt").asString());
    }

    @Test
    void theHistoryIsReplayedFromTheEventStoreAndEqualsTheActivities() {
        TestAccount owner = newAccount(true);
        String approvalId = requested(owner, bankAccountId(owner)).text("id");
        assertEmptyObject(review(approvalId, "accept", ADMIN_KEY, ApiClient.map("reason", "All details match")));
        assertEmptyObject(review(approvalId, "complete", ADMIN_KEY, ApiClient.map("reason", "Released")));
        String declined = requested(owner, bankAccountId(owner)).text("id");
        assertEmptyObject(review(declined, "decline", ADMIN_KEY, ApiClient.map("reason", "blurry")));
        String open = requested(owner, bankAccountId(owner)).text("id");

        assertHistoryMatchesActivities(owner, approvalId,
                List.of("ApprovalRequestedEvent", "ApprovalAcceptedEvent", "ApprovalCompletedEvent"));
        assertHistoryMatchesActivities(owner, declined, List.of("ApprovalRequestedEvent", "ApprovalDeclinedEvent"));
        assertHistoryMatchesActivities(owner, open, List.of("ApprovalRequestedEvent"));
    }

    @Test
    void theHistoryDoesNotComeFromTheReadModel() {
        TestAccount owner = newAccount(true);
        String approvalId = requested(owner, bankAccountId(owner)).text("id");
        assertEmptyObject(review(approvalId, "accept", ADMIN_KEY, ApiClient.map("reason", "ok")));
        JsonNode before = history(approvalId, owner.key()).json();

        jdbc.sql("UPDATE approval_activity_view SET reason = 'tampered', created_by = 'crn::nobody'"
                + " WHERE approval_id = ?").param(approvalId).update();
        assertThat(history(approvalId, owner.key()).json()).isEqualTo(before);
        assertThat(get(approvalId, owner.key()).json().get("approvalActivities").get(1).get("reason").asString())
                .isEqualTo("tampered");
    }

    private void assertHistoryMatchesActivities(TestAccount owner, String approvalId, List<String> eventTypes) {
        JsonNode activities = get(approvalId, owner.key()).json().get("approvalActivities");
        assertThat(activities.size()).isEqualTo(eventTypes.size());
        for (String key : List.of(owner.key(), ADMIN_KEY)) {
            Response history = history(approvalId, key);
            assertThat(history.status()).as(history.toString()).isEqualTo(200);
            assertThat(history.text("approvalId")).isEqualTo(approvalId);
            JsonNode items = history.json().get("items");
            assertThat(items.size()).as(history.toString()).isEqualTo(activities.size());
            for (int i = 0; i < items.size(); i++) {
                JsonNode entry = items.get(i);
                assertThat(entry.get("eventType").asString()).as(entry.toString()).isEqualTo(eventTypes.get(i));
                ObjectNode withoutEventType = ((ObjectNode) entry.deepCopy());
                withoutEventType.remove("eventType");
                assertThat((JsonNode) withoutEventType).as("history entry %d of %s", i + 1, approvalId)
                        .isEqualTo(activities.get(i));
                assertThat(entry.get("activityNumber").asInt()).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void racingRequestsForOneBankAccountLeaveOneInProgress() throws Exception {
        TestAccount account = newAccount(true);
        String bankAccountId = bankAccountId(account);
        List<String> uploads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            uploads.add(mediaUploadId(account));
        }
        List<Callable<Response>> calls = new ArrayList<>();
        for (String upload : uploads) {
            calls.add(() -> request(account, upload, bankAccountId, "settlement"));
        }
        List<Response> responses = inParallel(calls);
        long created = responses.stream().filter(response -> response.status() == 200).count();
        assertThat(created).as(responses.toString()).isEqualTo(1);
        responses.stream().filter(response -> response.status() != 200)
                .forEach(response -> assertRefused(response, 403, "APPROVAL_ALREADY_IN_PROGRESS"));
        assertThat(list(bankAccountId, account.key()).json().get("items").size()).isEqualTo(1);
        assertThat(api.get("/api/bank-accounts/" + bankAccountId, account.key()).json().get("approvals").size())
                .isEqualTo(1);
    }

    @Test
    void racingReviewersLeaveExactlyOneReview() throws Exception {
        TestAccount account = newAccount(true);
        String approvalId = requested(account, bankAccountId(account)).text("id");
        List<Callable<Response>> calls = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String action = i % 2 == 0 ? "accept" : "decline";
            String reason = action + " by reviewer " + i;
            actions.add(action);
            calls.add(() -> review(approvalId, action, ADMIN_KEY, ApiClient.map("reason", reason)));
        }
        List<Response> responses = inParallel(calls);

        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            Response response = responses.get(i);
            if (response.status() == 200) {
                assertThat(response.json().size()).isZero();
                winners.add(i);
            } else {
                assertRefused(response, 403, "APPROVAL_ALREADY_REVIEWED");
            }
        }
        assertThat(winners).as(responses.toString()).hasSize(1);
        int winner = winners.get(0);
        String expectedStatus = actions.get(winner).equals("accept") ? "approved" : "declined";

        JsonNode approval = get(approvalId, account.key()).json();
        assertThat(approval.get("status").asString()).isEqualTo(expectedStatus);
        JsonNode activities = approval.get("approvalActivities");
        assertThat(activities.size()).isEqualTo(2);
        assertActivity(activities.get(1), 2, approvalId, expectedStatus, actions.get(winner) + " by reviewer " + winner,
                ADMIN_CRN);
        assertThat(history(approvalId, account.key()).json().get("items").size()).isEqualTo(2);
        Long events = jdbc.sql("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?")
                .param(approvalId).query(Long.class).single();
        assertThat(events).isEqualTo(2);
    }
}
