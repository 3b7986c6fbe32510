package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Requesting a settlement approval: the answer, bad input, ownership, one in progress per bank account. */
class ApprovalRequestsApiTest extends ApprovalsApiSupport {

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
}
