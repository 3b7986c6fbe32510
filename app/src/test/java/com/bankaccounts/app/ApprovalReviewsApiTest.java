package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Reviewing approvals: accept, decline, complete, by the admin key only, exactly one winner in a race. */
class ApprovalReviewsApiTest extends ApprovalsApiSupport {

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
        // Bad input first, whether the body is empty or missing, as on every other endpoint.
        String unknown = "WRhAxxWpTKb5U7pXyxQjjY";
        assertRefused(review(unknown, "decline", ADMIN_KEY, ApiClient.map()), 400, "reason is required");
        assertRefused(reviewWithoutBody(unknown, "decline", ADMIN_KEY), 400, "reason is required");
        assertRefused(review(unknown, "decline", ADMIN_KEY, ApiClient.map("reason", "x")), 404, "APPROVAL_NOT_FOUND");
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
