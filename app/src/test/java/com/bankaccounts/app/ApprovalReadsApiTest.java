package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reading approvals: unknown and foreign ones, the bank account's summary, the history from the event store. */
class ApprovalReadsApiTest extends ApprovalsApiSupport {

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
                List.of("approval.created", "approval.approved", "approval.done"));
        assertHistoryMatchesActivities(owner, declined, List.of("approval.created", "approval.declined"));
        assertHistoryMatchesActivities(owner, open, List.of("approval.created"));
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
                assertThat(entry.get("type").asString()).as(entry.toString()).isEqualTo(eventTypes.get(i));
                assertThat(entry.get("sequence").asLong()).isEqualTo(i);
                // Each change was made by an HTTP request, whose id the event carries.
                assertThat(entry.path("requestId").asString()).as(entry.toString()).isNotBlank();
                assertThat(entry.get("principal")).isEqualTo(activities.get(i).get("createdBy"));
                assertThat(entry.get("time")).isEqualTo(activities.get(i).get("createdAt"));
                assertThat(entry.get("changes").get("status")).isEqualTo(activities.get(i).get("activityType"));
                ObjectNode activityFields = ((ObjectNode) entry.deepCopy());
                activityFields.remove(List.of("eventId", "sequence", "type", "time", "principal", "requestId",
                        "changes"));
                assertThat((JsonNode) activityFields).as("history entry %d of %s", i + 1, approvalId)
                        .isEqualTo(activities.get(i));
                assertThat(entry.get("activityNumber").asInt()).isEqualTo(i + 1);
            }
        }
    }
}
