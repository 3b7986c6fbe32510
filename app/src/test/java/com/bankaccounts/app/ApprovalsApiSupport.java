package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** What the approval API tests share: uploads, bank accounts, requests and reviews over HTTP. */
abstract class ApprovalsApiSupport extends ApiTestSupport {

    protected static final String ADMIN_CRN = "crn::api-key:admin";

    protected Response upload(TestAccount account) {
        return upload(account, "statement.pdf", "application/pdf",
                "%PDF-1.4\n% a bank statement\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** An upload of this file, its name sent in UTF-8. */
    protected Response upload(TestAccount account, String fileName, String contentType, byte[] content) {
        String boundary = "approvals-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.send(api.request("/api/media-uploads", account.key())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .build());
    }

    protected String mediaUploadId(TestAccount account) {
        Response uploaded = upload(account);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        return uploaded.text("id");
    }

    protected String bankAccountId(TestAccount account) {
        Response created = createBankAccount(account, uniqueTestNumber());
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.text("id");
    }

    protected Response request(TestAccount account, String mediaUploadId, String bankAccountId, String type) {
        return api.post("/api/bank-account-approvals", account.key(),
                ApiClient.map("mediaUploadId", mediaUploadId, "bankAccountId", bankAccountId, "type", type));
    }

    /** A settlement approval of a new bank account of the account, in status created. */

    protected Response requested(TestAccount account, String bankAccountId) {
        Response approval = request(account, mediaUploadId(account), bankAccountId, "settlement");
        assertThat(approval.status()).as(approval.toString()).isEqualTo(200);
        return approval;
    }

    protected Response review(String approvalId, String action, String key, Object body) {
        return api.post("/api/bank-account-approvals/" + approvalId + "/" + action, key, body);
    }

    protected Response reviewWithoutBody(String approvalId, String action, String key) {
        return api.send(api.request("/api/bank-account-approvals/" + approvalId + "/" + action, key)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    protected Response get(String approvalId, String key) {
        return api.get("/api/bank-account-approvals/" + approvalId, key);
    }

    protected Response list(String bankAccountId, String key) {
        return api.get("/api/bank-accounts/" + bankAccountId + "/approvals", key);
    }

    protected Response history(String approvalId, String key) {
        return api.get("/api/bank-account-approvals/" + approvalId + "/history", key);
    }

    protected long approvalsStoredFor(String bankAccountId) {
        long registered = jdbc.sql("SELECT COUNT(*) FROM approval_registry WHERE bank_account_id = ?")
                .param(bankAccountId).query(Long.class).single();
        long viewed = jdbc.sql("SELECT COUNT(*) FROM approval_view WHERE bank_account_id = ?")
                .param(bankAccountId).query(Long.class).single();
        return registered + viewed;
    }

    protected static void assertActivity(JsonNode activity, int number, String approvalId, String type, String reason,
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
}
