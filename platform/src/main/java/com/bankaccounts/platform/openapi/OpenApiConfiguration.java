package com.bankaccounts.platform.openapi;

import com.bankaccounts.api.approval.ApprovalStatus;
import com.bankaccounts.api.approval.ApprovalType;
import com.bankaccounts.api.bankaccount.BankAccountResponse;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.connectionintent.ConnectionIntentResponse;
import com.bankaccounts.api.connectionintent.ConsentPeriod;
import com.bankaccounts.api.fundstransfer.FundsTransferResponse;
import com.bankaccounts.api.fundstransfer.FundsTransferType;
import com.bankaccounts.api.webhook.WebhookEventType;
import com.bankaccounts.platform.account.ApiKey;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ErrorBody;
import com.bankaccounts.platform.web.NameText;
import com.bankaccounts.platform.web.RequestBodyRules;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.validation.constraints.NotBlank;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The OpenAPI document of {@code /api} ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): the
 * {@code x-api-key} scheme, the error format and the error answers ({@link ErrorCodesOperationCustomizer}), and
 * examples for the fields by name ({@link #EXAMPLES}), so request and response records need no annotations.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String SAMPLE_ID = "WRhAxxWpTKb5U7pXyxQjjY";
    static final String SAMPLE_TIME = "2020-06-12T01:17:46.499Z";

    /** Examples by {@code Schema.property}, else by property name alone. */
    static final Map<String, Object> EXAMPLES = Map.ofEntries(
            Map.entry("id", SAMPLE_ID),
            Map.entry("accountId", SAMPLE_ID),
            Map.entry("bankAccountId", "Ve8bqGUpzEvuKJSsQwWbVq"),
            Map.entry("mediaUploadId", "3hEfTk1sHqtH4YLUw4w8hC"),
            Map.entry("approvalId", "M6bTP5wGD1mJQTHgZDjFkU"),
            Map.entry("fundsTransferId", "Kd3YpZ9qwQm2vBh7e1sTnR"),
            Map.entry("createdAt", SAMPLE_TIME),
            Map.entry("modifiedAt", SAMPLE_TIME),
            Map.entry("updatedAt", SAMPLE_TIME),
            Map.entry("postedAt", SAMPLE_TIME),
            Map.entry("replayStartedAt", SAMPLE_TIME),
            Map.entry("replayFinishedAt", SAMPLE_TIME),
            Map.entry("createdBy", "crn:" + SAMPLE_ID + ":api-key:MyApiKey"),
            Map.entry("disabledAt", SAMPLE_TIME),
            Map.entry("disabledBy", "crn:" + SAMPLE_ID + ":api-key:MyApiKey"),
            Map.entry("modifiedBy", "crn:" + SAMPLE_ID + ":api-key:MyApiKey"),
            Map.entry("updatedBy", "crn:" + SAMPLE_ID + ":api-key:MyApiKey"),
            Map.entry("name", "Acme"),
            Map.entry("CreateApiKeyRequest.name", "MyApiKey"),
            Map.entry("ApiKeyResponse.name", "MyApiKey"),
            Map.entry("ProjectionStatus.name", "bank-accounts"),
            Map.entry("CreateConnectionIntentRequest.name", "Weekly coffee beans"),
            Map.entry("ConnectionIntentResponse.name", "Weekly coffee beans"),
            Map.entry("ApprovalResponse.name", "Weekly coffee beans"),
            Map.entry("role", "account-owner"),
            Map.entry("secret", "lJD1VXwUoa_rVr5nYp3hQ2sT8bW0kZ7mC4xE6gA9dFj"),
            Map.entry("bankAccountNumber", "12-1234-1234567-123"),
            Map.entry("bankAccountName", "John Doe"),
            Map.entry("fullName", "John Doe"),
            Map.entry("phoneNumber", "+64212345678"),
            Map.entry("emailAddress", "john.doe@gmail.com"),
            Map.entry("verificationCode", "1234"),
            Map.entry("amount", "1000"),
            Map.entry("totalAmount", "50000"),
            Map.entry("period", "weekly"),
            Map.entry("type", "settlement"),
            Map.entry("CreateFundsTransferRequest.type", "topup"),
            Map.entry("FundsTransferResponse.type", "topup"),
            Map.entry("StatementLine.type", "topup"),
            Map.entry("CreateConnectionIntentRequest.type", "account-information-consent"),
            Map.entry("ConnectionIntentResponse.type", "account-information-consent"),
            Map.entry("CreateBankAccountRequestRequest.type", "quartz-details"),
            Map.entry("status", "created"),
            Map.entry("activityType", "created"),
            Map.entry("eventType", "ApprovalRequestedEvent"),
            Map.entry("reason", "The statement matches the account"),
            Map.entry("reference", "CENTRAPAY 1234"),
            Map.entry("redirectUri", "https://example.com/linked"),
            Map.entry("authorizationUrl", "http://localhost:8080/sandbox/consent?state=Gm0n3YxR2pQ"),
            Map.entry("code", "sandbox-code-Hf73kQ"),
            Map.entry("state", "Gm0n3YxR2pQ"),
            Map.entry("fileName", "statement.pdf"),
            Map.entry("mimeType", "application/pdf"),
            Map.entry("purpose", "settlement-evidence"),
            Map.entry("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            Map.entry("nextPageKey", "MTU5MTkyNDY2NjQ5OTAwMDpXUmhBeHhXcFRLYjVVN3BYeXhRampZ"),
            Map.entry("ErrorBody.message", "DUPLICATE_BANK_ACCOUNT"),
            Map.entry("ErrorBody.error", "Forbidden"),
            Map.entry("ErrorBody.statusCode", 403),
            Map.entry("DeliveryResponse.type", "bank-account.created"),
            Map.entry("HistoryEntry.type", "bank-account.created"),
            Map.entry("ApprovalHistoryEntry.type", "approval.created"),
            Map.entry("Checkpoint.id", 5),
            Map.entry("DeliveryResponse.status", "succeeded"),
            Map.entry("url", "https://example.com/hooks"),
            Map.entry("eventTypes", List.of("bank-account.created", "bank-account.verified")),
            Map.entry("expiresAt", SAMPLE_TIME),
            Map.entry("previousSecretExpiresAt", SAMPLE_TIME),
            Map.entry("previousSecretExpiresIn", 86400));

    /**
     * Fields an example would contradict the rest of the example body with: the authority's fields beside
     * {@code bankAccountNumber} (the example has them in {@code directDebitAuthority}), and a payment consent's terms
     * (the example is an account information consent). Swagger UI sends the examples as they are.
     */
    static final Set<String> NO_EXAMPLE = Set.of("CreateBankAccountRequest.phoneNumber",
            "CreateBankAccountRequest.fullName", "CreateBankAccountRequest.emailAddress",
            "CreateConnectionIntentRequest.bankAccountId", "CreateConnectionIntentRequest.name",
            "CreateConnectionIntentRequest.period", "CreateBankAccountRequestRequest.bankAccountId",
            "CreateConnectionIntentRequest.totalAmount", "CreateConnectionIntentRequest.expiresAt");

    private static final List<String> WEBHOOK_EVENT_TYPES =
            Arrays.stream(WebhookEventType.values()).map(WebhookEventType::value).toList();
    private static final List<String> FUNDS_TRANSFER_TYPES =
            Arrays.stream(FundsTransferType.values()).map(FundsTransferType::value).toList();
    private static final List<String> APPROVAL_STATUSES =
            Arrays.stream(ApprovalStatus.values()).map(ApprovalStatus::value).toList();
    private static final List<String> CONSENT_PERIODS =
            Arrays.stream(ConsentPeriod.values()).map(ConsentPeriod::value).toList();
    private static final List<String> APPROVAL_TYPES =
            Arrays.stream(ApprovalType.values()).map(ApprovalType::value).toList();

    /** Properties of answers that an answer may leave out: those that can be null (see {@link #answerSchemas}). */
    public static final Set<String> OPTIONAL = Set.of(
            "WebhookEndpointResponse.eventTypes", "WebhookEndpointResponse.description",
            "WebhookEndpointResponse.secret", "WebhookEndpointResponse.previousSecretExpiresAt",
            "DeliveryResponse.lastStatusCode", "DeliveryResponse.lastError", "DeliveryResponse.lastAttemptAt",
            "DeliveryResponse.nextAttemptAt",
            "MediaUploadResponse.purpose",
            "FundsTransferResponse.test", "FundsTransferResponse.settledAt",
            "BankAccountResponse.verificationAttemptsRemaining", "BankAccountResponse.test",
            "ConnectionIntentResponse.test", "ConnectionIntentResponse.bankAccountId", "ConnectionIntentResponse.name",
            "ConnectionIntentResponse.period", "ConnectionIntentResponse.totalAmount",
            "ConnectionIntentResponse.redirectUri", "ConnectionIntentResponse.expiresAt",
            "ConnectionIntentResponse.bankAccountIds", "ConnectionIntentResponse.approvalIds",
            "ApprovalActivity.reason",
            "ApprovalResponse.mediaUploadId", "ApprovalResponse.refreshToken", "ApprovalResponse.consentId",
            "ApprovalResponse.name", "ApprovalResponse.period", "ApprovalResponse.totalAmount",
            "ApprovalResponse.expiresAt", "ApprovalResponse.currentPeriod",
            "PaymentConsentUsage.remainingAmount",
            "ProjectionStatus.rebuildPosition", "ProjectionStatus.replayedEvents", "ProjectionStatus.replayStartedAt",
            "ProjectionStatus.replayFinishedAt", "ProjectionStatus.replayError",
            "ApiKeyResponse.secret", "ApiKeyResponse.disabledAt", "ApiKeyResponse.disabledBy",
            "DeliveryPage.nextPageKey", "FundsTransferPage.nextPageKey",
            // From the event's metadata: an event stored without a principal or a request id has none.
            "HistoryEntry.principal", "HistoryEntry.requestId",
            "ApprovalHistoryEntry.reason", "ApprovalHistoryEntry.requestId", "ApprovalHistoryEntry.principal",
            "ApprovalHistoryEntry.createdBy",
            "Break.aggregate", "Break.aggregateType", "Break.sequence", "Break.globalIndex", "Break.checkpoint",
            "Verification.lastCheckpoint", "Verification.firstBreak",
            "ErrorBody.details");

    /**
     * The values a field takes (an array's items for an array), in requests and in answers. The connection intents'
     * types are kept by hand: they are the command side's (ConnectionIntentRequests), which this module cannot see.
     */
    static final Map<String, List<String>> VALUES = Map.ofEntries(
            Map.entry("CreateFundsTransferRequest.type", FUNDS_TRANSFER_TYPES),
            Map.entry("CreateConnectionIntentRequest.type", List.of("account-information-consent",
                    "enduring-payment-consent", "quartz-accounts", "quartz-payment")),
            Map.entry("CreateBankAccountRequestRequest.type", List.of("quartz-details", "quartz-payment")),
            Map.entry("CreateConnectionIntentRequest.period", CONSENT_PERIODS),
            Map.entry("ConnectionIntentResponse.period", CONSENT_PERIODS),
            Map.entry("ApprovalResponse.period", CONSENT_PERIODS),
            Map.entry("ConnectionIntentResponse.type", List.of("account-information-consent",
                    "enduring-payment-consent", "quartz-accounts", "quartz-payment", "quartz-details")),
            Map.entry("CreateApiKeyRequest.role", List.of(ApiKey.ROLE_ACCOUNT_OWNER)),
            Map.entry("RequestApprovalRequest.type", List.of("settlement")),
            Map.entry("CreateWebhookEndpointRequest.eventTypes", WEBHOOK_EVENT_TYPES),
            Map.entry("WebhookEndpointResponse.eventTypes", WEBHOOK_EVENT_TYPES),
            Map.entry("DeliveryResponse.type", WEBHOOK_EVENT_TYPES),
            Map.entry("DeliveryResponse.status", List.of("pending", "succeeded", "failed")),
            Map.entry("BankAccountResponse.status",
                    List.of(BankAccountResponse.STATUS_CREATED, BankAccountResponse.STATUS_ACTIVE)),
            Map.entry("FundsTransferResponse.status",
                    List.of(FundsTransferResponse.STATUS_CREATED, FundsTransferResponse.STATUS_DONE)),
            Map.entry("FundsTransferResponse.type", FUNDS_TRANSFER_TYPES),
            Map.entry("StatementLine.type", FUNDS_TRANSFER_TYPES),
            Map.entry("ApprovalResponse.status", APPROVAL_STATUSES),
            Map.entry("ApprovalSummary.status", APPROVAL_STATUSES),
            Map.entry("ApprovalResponse.type", APPROVAL_TYPES),
            Map.entry("ApprovalSummary.type", APPROVAL_TYPES),
            Map.entry("ConnectionIntentResponse.status", List.of(ConnectionIntentResponse.STATUS_CREATED,
                    ConnectionIntentResponse.STATUS_AUTHORIZED, ConnectionIntentResponse.STATUS_FAILED,
                    ConnectionIntentResponse.STATUS_DECLINED, ConnectionIntentResponse.STATUS_DONE)),
            Map.entry("ApiKeyResponse.role", List.of(ApiKey.ROLE_ACCOUNT_OWNER)));

    private static final String AUTHORITY_BESIDE = "the direct debit authority's field given beside "
            + "`bankAccountNumber` (all three together), instead of in `directDebitAuthority`";
    private static final String PAYMENT_ONLY = "`enduring-payment-consent` only";

    /** Descriptions where the name alone leaves the values open. */
    static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("BankAccountResponse.status", "`created`, then `active` once verified"),
            Map.entry("BankAccountResponse.verificationAttemptsRemaining", "until verified: the wrong codes it may "
                    + "still take; at 0 every attempt answers `BANK_ACCOUNT_VERIFICATION_ATTEMPTS_EXCEEDED`"),
            Map.entry("FundsTransferResponse.status", "`created`, then `done` once settled (and, for a top up, "
                    + "its bank account verified)"),
            Map.entry("FundsTransferResponse.settledAt", "when the bank settled (posted) it; absent until then. A top "
                    + "up settled while its bank account is unverified is still `created`"),
            Map.entry("ApprovalResponse.status", "`created` (a settlement) or `pending` (a consent) await review, "
                    + "then `approved` or `declined`; `approved`, then `done`, or for a consent `revoked` or "
                    + "`expired`"),
            Map.entry("ConnectionIntentResponse.status", "`created`, then `authorized`, `failed`, or `declined` "
                    + "when the user refused; on the bank account requests face `created`, then `done` or "
                    + "`failed`"),
            Map.entry("DeliveryResponse.status", "`pending` until the endpoint answers 2xx (`succeeded`) or the "
                    + "last retry fails (`failed`)"),
            Map.entry("CreateBankAccountRequest.phoneNumber", AUTHORITY_BESIDE),
            Map.entry("CreateBankAccountRequest.fullName", AUTHORITY_BESIDE),
            Map.entry("CreateBankAccountRequest.emailAddress", AUTHORITY_BESIDE),
            Map.entry("CreateConnectionIntentRequest.bankAccountId", "required for `enduring-payment-consent` and "
                    + "`quartz-payment`, and only for them: the bank account to pay from"),
            Map.entry("CreateBankAccountRequestRequest.bankAccountId", "required for `quartz-payment`, and only for "
                    + "it: the bank account to pay from"),
            Map.entry("redirectUri", "where the provider sends the user back: an absolute `https` URL (`http` only "
                    + "to `localhost`), without credentials, a fragment, or a parameter the redirect back adds "
                    + "(`state`, `code`, `error`, `error_description`, `error_uri`, `iss`)"),
            Map.entry("CreateFundsTransferRequest.paymentConsentId", "a `topup` only: the approved `payment-consent` "
                    + "approval of this bank account the top up draws on"),
            Map.entry("AuthorizeRequest.code", "the code the provider's redirect carried; required unless `error` is "
                    + "given"),
            Map.entry("AuthorizeRequest.error", "the provider's redirect carried `error=access_denied`: the user "
                    + "refused (then no `code`)"),
            Map.entry("CreateWebhookEndpointRequest.eventTypes", "the event types to send; left out, every type"),
            Map.entry("AccountResponse.test", "a test account: its bank accounts, transfers and consents are test "
                    + "data"),
            Map.entry("CreateConnectionIntentRequest.name", PAYMENT_ONLY),
            Map.entry("CreateConnectionIntentRequest.period", PAYMENT_ONLY),
            Map.entry("CreateConnectionIntentRequest.totalAmount", PAYMENT_ONLY + ": a positive number of cents, "
                    + "as a string"),
            Map.entry("CreateConnectionIntentRequest.expiresAt", PAYMENT_ONLY + ": an ISO-8601 time with its offset, "
                    + "in the future"),
            Map.entry("ConnectionIntentResponse.bankAccountIds", "once authorized: the bank accounts the consent "
                    + "linked, new or already held"),
            Map.entry("ConnectionIntentResponse.approvalIds", "once authorized: each linked bank account's consent "
                    + "approval, in the order of `bankAccountIds`"),
            Map.entry("verificationCode", "the 4 digits after `CENTRAPAY` in the statement's reference"),
            Map.entry("amount", "a positive number of cents, as a string"),
            Map.entry("totalAmount", "a positive number of cents, as a string"),
            Map.entry("test", "test data: left out for live data in responses"),
            Map.entry("nextPageKey", "present while there is more: send it back as `pageKey`"),
            Map.entry("ErrorBody.message", "the error code (see each operation's answers), or for bad input a "
                    + "message naming the field"),
            Map.entry("ErrorBody.details", "every problem found in the input, when there are several"),
            Map.entry("ErrorBody.requestId", "the request's id, as in the `X-Request-Id` answer header"),
            Map.entry("WebhookEndpointResponse.secret", "the signing secret: only in the answer that creates the "
                    + "endpoint or rotates its secret"),
            Map.entry("WebhookEndpointResponse.previousSecretExpiresAt", "after a rotation, until when earlier "
                    + "secrets still sign deliveries beside the current one (a signature each): the last one's end"),
            Map.entry("RotateSecretRequest.previousSecretExpiresIn", "seconds the current secret keeps signing beside "
                    + "the new one, 0 to 604800 (a week); 86400 when left out; 0 also stops every earlier secret"));

    /** Some character that is not white space; JSON Schema's pattern matches anywhere in the value. */
    private static final String NON_BLANK = RequestBodyRules.NON_WHITESPACE;
    /** {@link NameText}'s rule, and with it one that is not blank: one pattern, as JSON Schema takes only one. */
    private static final String NAME = "^[^" + NameText.REFUSED + "]*$";
    static final String NAME_NOT_BLANK = "^[^" + NameText.REFUSED + "]*"
            + RequestBodyRules.NON_WHITESPACE.replace("[^", "[^" + NameText.REFUSED) + "[^" + NameText.REFUSED + "]*$";

    /**
     * A New Zealand bank account number as the server reads one: dashed or spaced, or 15 or 16 digits, with what
     * Java's {@code trim()} removes (U+0000 to U+0020) around it.
     */
    static final String NZ_NUMBER =
            "^[\\x00-\\x20]*(\\d{2}[- ]\\d{4}[- ]\\d{7}[- ]\\d{2,3}|\\d{15,16})[\\x00-\\x20]*$";

    /**
     * Rules of the server's own checks, not Bean Validation's, that a generated client can still check: the number
     * formats a bank account number is taken in, the one value a flag takes, a list that is left out rather than empty,
     * the direct debit authority's fields beside the bank account's, which are optional but never empty when given.
     */
    @SuppressWarnings("rawtypes")
    static final Map<String, Consumer<Schema>> RULES = Map.ofEntries(
            Map.entry("CreateBankAccountRequest.bankAccountNumber", schema -> schema.setPattern(NZ_NUMBER)),
            Map.entry("CreateBankAuthorityRequest.bankAccountNumber", schema -> schema.setPattern(NZ_NUMBER)),
            Map.entry("CreateBankAuthorityRequest.directDebitAuthorized", OpenApiConfiguration::onlyTrue),
            Map.entry("CreateWebhookEndpointRequest.eventTypes", schema -> schema.setMinItems(1)),
            Map.entry("CreateWebhookEndpointRequest.url", schema -> schema.setFormat("uri")),
            Map.entry("AuthorizeRequest.error", schema -> schema.setEnum(List.of("access_denied"))),
            Map.entry("CreateBankAccountRequest.fullName", schema -> schema.setPattern(NAME_NOT_BLANK)),
            Map.entry("CreateBankAccountRequest.emailAddress", schema -> schema.setMinLength(1)));

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void onlyTrue(Schema schema) {
        schema.setEnum(List.of(true));
    }

    /** One line per operation for Swagger UI, by operation id; an operation without one is still documented. */
    public static final Map<String, String> SUMMARIES = Map.ofEntries(
            Map.entry("account_create", "Create an account (admin)"),
            Map.entry("account_get", "Read an account"),
            Map.entry("account_createApiKey", "Create an API key; its secret is shown once"),
            Map.entry("account_listApiKeys", "List an account's API keys (no secrets)"),
            Map.entry("account_disableApiKey", "Disable an API key for good"),
            Map.entry("bankAccount_create", "Create a bank account, optionally with its direct debit authority"),
            Map.entry("bankAccount_authorizeDirectDebit", "Authorise direct debits from a bank account"),
            Map.entry("bankAccount_verify", "Verify a bank account with the code from its statement"),
            Map.entry("bankAccount_get", "Read a bank account"),
            Map.entry("bankAccount_list", "List an account's bank accounts, oldest first"),
            Map.entry("bankAccount_createAuthority", "Create a bank authority (deprecated view of a bank account)"),
            Map.entry("bankAccount_verifyAuthority", "Verify a bank authority (deprecated)"),
            Map.entry("bankAccount_getAuthority", "Read a bank authority (deprecated)"),
            Map.entry("bankAccount_listAuthorities", "List bank authorities (deprecated; the admin names accountId)"),
            Map.entry("fundsTransfer_create", "Move money in (topup) or out (withdrawal) of a bank account"),
            Map.entry("fundsTransfer_settle", "Mark a live transfer as posted by the bank (admin)"),
            Map.entry("fundsTransfer_get", "Read a funds transfer"),
            Map.entry("fundsTransfer_list", "List an account's funds transfers, newest first, 25 a page"),
            Map.entry("fundsTransfer_testStatement", "The sandbox bank's statement of a test bank account"),
            Map.entry("mediaUpload_upload", "Upload an evidence file (PDF, PNG or JPEG, at most 5 MB)"),
            Map.entry("mediaUpload_get", "Read an upload's metadata"),
            Map.entry("mediaUpload_content", "Download the uploaded file"),
            Map.entry("approval_request", "Request a settlement approval of a bank account"),
            Map.entry("approval_accept", "Accept an approval (admin)"),
            Map.entry("approval_decline", "Decline an approval, with a reason (admin)"),
            Map.entry("approval_complete", "Complete an approved approval (admin)"),
            Map.entry("approval_get", "Read an approval with its activities"),
            Map.entry("approval_list", "List a bank account's approvals"),
            Map.entry("approval_history", "An approval's activities replayed from the event store"),
            Map.entry("connectionIntent_create", "Start an open-banking consent; answers its authorizationUrl"),
            Map.entry("connectionIntent_authorize", "Exchange the code the user brought back"),
            Map.entry("connectionIntent_get", "Poll a connection intent's status"),
            Map.entry("connectionIntent_createRequest", "Start a bank account request (the older face)"),
            Map.entry("connectionIntent_authorizeRequest", "Exchange a bank account request's code"),
            Map.entry("connectionIntent_getRequest", "Poll a bank account request's status"),
            Map.entry("projection_list", "Read-model positions (admin)"),
            Map.entry("projection_get", "One read model's position (admin)"),
            Map.entry("projection_replay", "Rebuild a read model from the event store (admin)"),
            Map.entry("approval_revoke", "Withdraw an approved consent (owner or admin)"),
            Map.entry("bankAccountHistory_history", "A bank account's events, from the event store"),
            Map.entry("fundsTransferHistory_history", "A funds transfer's events, from the event store"),
            Map.entry("connectionIntentHistory_history", "A connection intent's events, from the event store"),
            Map.entry("connectionIntentHistory_requestHistory",
                    "A bank account request's events, from the event store"),
            Map.entry("audit_verify", "Check every event's seal and the checkpoints (admin)"),
            Map.entry("webhookEndpoint_create", "Register a webhook endpoint; its signing secret is shown once"),
            Map.entry("webhookEndpoint_get", "Read a webhook endpoint (no secret)"),
            Map.entry("webhookEndpoint_list", "List an account's webhook endpoints"),
            Map.entry("webhookEndpoint_disable", "Stop deliveries to an endpoint for good"),
            Map.entry("webhookEndpoint_deliveries", "An endpoint's deliveries, newest first, 25 a page"),
            Map.entry("webhookEndpoint_retry", "Send a delivery again now, with its whole retry schedule ahead"),
            Map.entry("webhookEndpoint_rotateSecret", "Rotate an endpoint's signing secret; the new one is shown once "
                    + "(send an Idempotency-Key)"));

    static {
        // Resolved from the security context (CallerArgumentResolver), not from the request.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    public OperationCustomizer errorCodesOperationCustomizer() {
        return new ErrorCodesOperationCustomizer();
    }

    /**
     * Names each operation after its controller and method ({@code fundsTransfer_create}), tags it with its resource
     * (commands and queries of one resource together), puts multipart form fields in the form, and shows the
     * {@code {}} that actions answer.
     */
    @Bean
    public OperationCustomizer operationNamesAndForms() {
        return (operation, handlerMethod) -> {
            String resource = handlerMethod.getBeanType().getSimpleName()
                    .replaceFirst("(Query)?Controller$", "").replaceFirst("Admin$", "");
            operation.operationId(Character.toLowerCase(resource.charAt(0)) + resource.substring(1) + "_"
                    + handlerMethod.getMethod().getName());
            operation.tags(List.of(String.join(" ", resource.split("(?<=[a-z])(?=[A-Z])"))));
            if (operation.getSummary() == null) {
                operation.setSummary(SUMMARIES.get(operation.getOperationId()));
            }
            moveFormFieldsIntoTheForm(operation);
            ApiResponse ok = operation.getResponses() == null ? null : operation.getResponses().get("200");
            MediaType json = ok == null || ok.getContent() == null ? null
                    : ok.getContent().get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
            if (json != null && json.getSchema() != null && json.getSchema().getProperties() == null
                    && json.getSchema().getTypes() != null && json.getSchema().getTypes().contains("object")) {
                json.setExample(Map.of());
            }
            return operation;
        };
    }

    /** Spring reads a multipart request's {@code @RequestParam}s from its parts: they belong in the form. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void moveFormFieldsIntoTheForm(Operation operation) {
        MediaType form = operation.getRequestBody() == null || operation.getRequestBody().getContent() == null ? null
                : operation.getRequestBody().getContent()
                .get(org.springframework.http.MediaType.MULTIPART_FORM_DATA_VALUE);
        if (form == null || form.getSchema() == null || operation.getParameters() == null) {
            return;
        }
        Schema formSchema = form.getSchema();
        operation.getParameters().removeIf(parameter -> {
            if (!"query".equals(parameter.getIn())) {
                return false;
            }
            formSchema.addProperty(parameter.getName(), parameter.getSchema());
            return true;
        });
        Consumer<Schema> rule = FORM_RULES.get(operation.getOperationId());
        if (rule != null) {
            rule.accept(formSchema);
            operation.getRequestBody().setRequired(true);
        }
    }

    /**
     * A form's rules, by operation: its fields are {@code @RequestParam}s Spring takes as optional, so that one left
     * out is answered with a message of its own.
     */
    @SuppressWarnings("rawtypes")
    private static final Map<String, Consumer<Schema>> FORM_RULES = Map.of("mediaUpload_upload", form -> {
        form.setRequired(List.of("file"));
        ((Schema) form.getProperties().get("purpose")).maxLength(100);
    });

    /**
     * A value that must not be blank has a character that is not white space: springdoc leaves {@code @NotBlank} to
     * a minimum length, and {@code @Size}'s minimum of 0 replaces that ({@link #jsonSchemaRules} adds it back).
     */
    @Bean
    public PropertyCustomizer notBlankAsPattern() {
        return (property, type) -> {
            if (property == null || type.getCtxAnnotations() == null) {
                return property;
            }
            boolean notBlank = Arrays.stream(type.getCtxAnnotations()).anyMatch(NotBlank.class::isInstance)
                    || RequestBodyRules.NOT_BLANK.equals(property.getPattern());
            if (Arrays.stream(type.getCtxAnnotations()).anyMatch(NameText.class::isInstance)) {
                property.setPattern(notBlank ? NAME_NOT_BLANK : NAME);
            } else if (property.getPattern() == null && notBlank) {
                property.setPattern(NON_BLANK);
            }
            return property;
        };
    }

    /** Times whose names do not end in {@code At}. */
    private static final Set<String> DATE_TIMES = Set.of("time", "periodStart", "periodEnd");

    /**
     * Bean Validation's rules as JSON Schema reads them: a pattern there has only to match somewhere in the value,
     * where {@code @Pattern} matches all of it, so it is anchored (and {@link RequestBodyRules#NOT_BLANK}, in Java's
     * dialect, is {@link #NON_BLANK}); a value that must not be blank is at least one character long.
     */
    @SuppressWarnings("rawtypes")
    private static void jsonSchemaRules(Schema property) {
        String pattern = property.getPattern();
        if (pattern == null) {
            return;
        }
        if (pattern.equals(RequestBodyRules.NOT_BLANK)) {
            property.setPattern(NON_BLANK);
        } else if (!pattern.equals(NON_BLANK) && !pattern.startsWith("^")) {
            property.setPattern("^(?:" + pattern + ")$");
        }
        if (property.getPattern().equals(NON_BLANK)
                && (property.getMinLength() == null || property.getMinLength() < 1)) {
            property.setMinLength(1);
        }
    }

    @Bean
    public OpenApiCustomizer bankAccountsOpenApi() {
        return openApi -> {
            openApi.info(new Info()
                    .title("Bank accounts API")
                    .version("1")
                    .description("Link and verify bank accounts, authorise direct debits, move funds, review "
                            + "approvals and connect through open banking. Every request carries an `x-api-key` "
                            + "header: the platform admin key or an account's key; a key sees only its own "
                            + "account's resources (anything else answers 404, as an unknown id does). Errors are "
                            + "`{\"statusCode\", \"error\", \"message\", \"requestId\"}` with the error code (or "
                            + "for bad input a message naming the field) in `message`, and `details` listing every "
                            + "problem of a body with several. Every `POST` takes an `Idempotency-Key`: a retry "
                            + "with the same key and body answers the first answer again."));
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.components(components);
            components.addSecuritySchemes(ErrorCodesOperationCustomizer.API_KEY_SCHEME, new SecurityScheme()
                    .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("x-api-key")
                    .description("The platform admin key, or an account's key (`POST /api/accounts/{accountId}"
                            + "/api-keys` shows its secret once)."));
            ModelConverters.getInstance(true).read(ErrorBody.class).forEach(components::addSchemas);
            // An unknown path is no operation of its own; documented once here.
            components.addResponses("UnknownPath", ErrorCodesOperationCustomizer.errorResponse(HttpStatus.NOT_FOUND,
                    Set.of(ErrorCode.NOT_FOUND.name())).description("No endpoint at this path."));
            if (components.getSchemas() != null) {
                components.getSchemas().forEach(OpenApiConfiguration::describe);
                answerSchemas(openApi).forEach(name -> requireAnswerFields(name, components.getSchemas().get(name)));
            }
            if (openApi.getPaths() != null) {
                openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                    if (operation.getParameters() != null) {
                        operation.getParameters().forEach(OpenApiConfiguration::exampleOf);
                    }
                    wholeBodyExample(operation, components);
                }));
            }
        };
    }

    /**
     * A JSON request body's example as a whole: its fields' examples and nothing else. Without one, Swagger UI's "Try
     * it out" makes up a value for every field (a payment consent's terms on an information consent, the
     * authority's fields both inside and beside it), and the request it sends is refused.
     */
    private static void wholeBodyExample(Operation operation, Components components) {
        MediaType json = operation.getRequestBody() == null || operation.getRequestBody().getContent() == null ? null
                : operation.getRequestBody().getContent()
                        .get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
        if (json != null && json.getSchema() != null && json.getExample() == null && json.getExamples() == null) {
            Map<String, Object> example = bodyExampleOf(json.getSchema(), components, 0);
            if (!example.isEmpty()) {
                json.setExample(example);
            }
        }
    }

    @SuppressWarnings("rawtypes")
    private static Map<String, Object> bodyExampleOf(Schema schema, Components components, int depth) {
        Schema resolved = schema.get$ref() == null ? schema : referenced(schema, components);
        Map<String, Object> body = new LinkedHashMap<>();
        // A schema that holds itself, however deep, ends here.
        if (resolved == null || resolved.getProperties() == null || depth > 5) {
            return body;
        }
        ((Map<String, Schema>) resolved.getProperties()).forEach((property, propertySchema) -> {
            if (propertySchema.getExample() != null) {
                body.put(property, propertySchema.getExample());
            } else if (propertySchema.get$ref() != null) {
                Map<String, Object> nested = bodyExampleOf(propertySchema, components, depth + 1);
                if (!nested.isEmpty()) {
                    body.put(property, nested);
                }
            }
        });
        return body;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void describe(String schemaName, Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        ((Map<String, Schema>) schema.getProperties()).forEach((property, propertySchema) -> {
            if (propertySchema.get$ref() != null) {
                return;
            }
            String field = schemaName + "." + property;
            Object example = EXAMPLES.getOrDefault(field, EXAMPLES.get(property));
            if (example != null && propertySchema.getExample() == null && !NO_EXAMPLE.contains(field)) {
                propertySchema.setExample(example);
            }
            List<String> values = VALUES.get(field);
            if (values != null) {
                (propertySchema.getItems() != null ? propertySchema.getItems() : propertySchema).setEnum(values);
            }
            if ((property.endsWith("At") || DATE_TIMES.contains(property)) && propertySchema.getTypes() != null
                    && propertySchema.getTypes().contains("string")) {
                propertySchema.setFormat("date-time");
            }
            Consumer<Schema> rule = RULES.get(field);
            if (rule != null) {
                rule.accept(propertySchema);
            }
            jsonSchemaRules(propertySchema);
            String description = DESCRIPTIONS.getOrDefault(schemaName + "." + property, DESCRIPTIONS.get(property));
            if (description != null && propertySchema.getDescription() == null) {
                propertySchema.setDescription(description);
            }
        });
    }

    /**
     * The schemas of answers and what they hold (not request bodies'): every property they have is in every answer
     * unless {@link #OPTIONAL} says it may be left out (answers leave out what is null), so that a client generated
     * from the document types the others as never missing.
     */
    @SuppressWarnings("rawtypes")
    static Set<String> answerSchemas(OpenAPI openApi) {
        Set<String> answers = new TreeSet<>();
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                if (operation.getResponses() != null) {
                    operation.getResponses().values().forEach(response -> {
                        if (response.getContent() != null) {
                            response.getContent().values().forEach(media ->
                                    collectReferenced(media.getSchema(), openApi.getComponents(), answers));
                        }
                    });
                }
            }));
        }
        return answers;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void collectReferenced(Schema schema, Components components, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.get$ref() != null) {
            Schema referenced = referenced(schema, components);
            if (referenced != null && names.add(schema.get$ref().replaceFirst(".*/", ""))) {
                collectReferenced(referenced, components, names);
            }
            return;
        }
        collectReferenced(schema.getItems(), components, names);
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values()
                    .forEach(property -> collectReferenced(property, components, names));
        }
    }

    /** The component a {@code $ref} names; null when the document has none of that name. */
    @SuppressWarnings("rawtypes")
    private static Schema referenced(Schema reference, Components components) {
        return components.getSchemas() == null ? null
                : components.getSchemas().get(reference.get$ref().replaceFirst(".*/", ""));
    }

    /** Swagger's {@code setRequired} keeps its own sorted copy, and none when the list is empty. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void requireAnswerFields(String schemaName, Schema schema) {
        if (schema.getProperties() != null) {
            schema.setRequired(((Map<String, Schema>) schema.getProperties()).keySet().stream()
                    .filter(property -> !OPTIONAL.contains(schemaName + "." + property))
                    .toList());
        }
    }

    private static void exampleOf(Parameter parameter) {
        if (parameter.getExample() == null && "path".equals(parameter.getIn()) && parameter.getName().endsWith("Id")) {
            parameter.setExample(EXAMPLES.getOrDefault(parameter.getName(), SAMPLE_ID));
        }
    }
}
