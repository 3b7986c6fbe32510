package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.openapi.OpenApiConfiguration;
import com.bankaccounts.platform.openapi.ErrorCodesOperationCustomizer;
import com.bankaccounts.platform.openapi.ErrorCodesOperationCustomizer.Common;
import com.bankaccounts.platform.openapi.ErrorCodesOperationCustomizer.Scope;
import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document against the running server: every mapped {@code /api} endpoint is in it with its error codes
 * ({@link ErrorCodes}), every field of its request and response records is in their schemas, and real answers,
 * successes and refusals, validate against the schemas the document gives for them.
 */
class OpenApiDocumentTest extends ApiTestSupport {

    private static final String JSON = "application/json";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private JsonNode document;

    /** A mapped {@code /api} operation: one method and path of one handler method. */
    private record Endpoint(String method, String path, HandlerMethod handler) {

        @Override
        public String toString() {
            return method + " " + path + " (" + handler.getBeanType().getSimpleName() + "."
                    + handler.getMethod().getName() + ")";
        }
    }

    @BeforeEach
    void readDocument() throws IOException {
        Response served = api.get("/v3/api-docs", null);
        assertThat(served.status()).as(served.toString()).isEqualTo(200);
        document = served.json();
        if (Files.isDirectory(Path.of("target"))) {
            Files.writeString(Path.of("target", "openapi.json"), served.body()); // to read, for a reviewer
        }
    }

    @Test
    void isAnOpenApi31DocumentServedWithoutAKeyWithSwaggerUi() {
        assertThat(document.get("openapi").asString()).startsWith("3.1.");
        assertThat(document.at("/components/securitySchemes/apiKey/type").asString()).isEqualTo("apiKey");
        assertThat(document.at("/components/securitySchemes/apiKey/in").asString()).isEqualTo("header");
        assertThat(document.at("/components/securitySchemes/apiKey/name").asString()).isEqualTo("x-api-key");
        // Keys do not matter here: an unknown one is not refused.
        Response withUnknownKey = api.get("/v3/api-docs", "not-a-key");
        assertThat(withUnknownKey.status()).as(withUnknownKey.toString()).isEqualTo(200);
        // Only the JSON API: no sandbox pages, admin console or actuator.
        assertThat(names(document.get("paths"))).allMatch(path -> path.startsWith("/api/"));
        List<String> operationIds = new ArrayList<>();
        document.get("paths").forEach(path -> path.forEach(operation -> operationIds.add(
                operation.path("operationId").asString(""))));
        assertThat(operationIds).doesNotHaveDuplicates().doesNotContain("");
        assertThat(operationIds).as("operations named in OpenApiConfiguration.SUMMARIES")
                .containsAll(OpenApiConfiguration.SUMMARIES.keySet());
        assertThat(OpenApiConfiguration.SUMMARIES.keySet()).as("every operation has a line in Swagger UI")
                .containsAll(operationIds);
        assertThat(document.at("/paths/~1api~1media-uploads/post/requestBody/content/multipart~1form-data/schema"
                + "/properties").has("purpose")).isTrue();

        Response ui = api.get("/swagger-ui.html", null);
        assertThat(ui.status()).as(ui.toString()).isIn(200, 302);
        Response page = api.get("/swagger-ui/index.html", null);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
        Response config = api.get("/v3/api-docs/swagger-config", null);
        assertThat(config.status()).as(config.toString()).isEqualTo(200);
        Response yaml = api.get("/v3/api-docs.yaml", "not-a-key");
        assertThat(yaml.status()).as(yaml.toString()).isEqualTo(200);
        assertThat(yaml.body()).startsWith("openapi: 3.1.");
    }

    /** Every POST documents the retry key it takes and the header of a replayed answer. */
    @Test
    void everyPostTakesAnIdempotencyKey() {
        document.get("paths").properties().forEach(path -> {
            JsonNode post = path.getValue().get("post");
            if (post != null) {
                assertThat(post.path("parameters").findValuesAsString("name")).as(path.getKey())
                        .contains("Idempotency-Key");
                assertThat(post.at("/responses/200/headers").has("Idempotent-Replayed")).as(path.getKey()).isTrue();
            }
        });
        // The schema's pattern says what the server takes: printable ASCII, no space at either end.
        JsonNode parameters = document.at("/paths/~1api~1bank-accounts/post/parameters");
        JsonNode key = StreamSupport.stream(parameters.spliterator(), false)
                .filter(parameter -> parameter.path("name").asString().equals("Idempotency-Key"))
                .findFirst().orElseThrow();
        Pattern pattern = Pattern.compile(key.at("/schema/pattern").asString());
        assertThat(List.of("a", "order-1234", "a b", "~!")).allMatch(taken -> pattern.matcher(taken).matches());
        assertThat(List.of("", " ", " a", "a ", "caf\u00e9", "tab\there"))
                .noneMatch(refused -> pattern.matcher(refused).matches());
    }

    /** Every answer documents the headers every answer carries, and every operation the 406 of a non-JSON Accept. */
    @Test
    void everyAnswerDocumentsItsRequestIdAndRateLimitHeaders() {
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            JsonNode responses = operation.getValue().path("responses");
            assertThat(responses.has("406")).as(path.getKey() + " " + operation.getKey()).isTrue();
            responses.properties().forEach(response -> {
                JsonNode headers = response.getValue().path("headers");
                assertThat(headers.has("X-Request-Id") && headers.has("RateLimit-Remaining"))
                        .as(path.getKey() + " " + operation.getKey() + " " + response.getKey()).isTrue();
                assertThat(headers.has("Retry-After")).isEqualTo(response.getKey().equals("429"));
            });
        }));
    }

    /**
     * Swagger UI's "Try it out" sends a request body's example as it is, where the body has one; without, it makes up
     * a value for every field. Each create body has one (its fields' examples), and it passes validation (with real
     * ids and a reachable URL in place of the samples). The authority's fields beside and inside the example, or a
     * payment consent's terms on an information consent, used to make it a 400.
     */
    @Test
    void theExampleBodiesSwaggerUiSendsAreValidInput() {
        TestAccount owner = newAccount(true);
        String bankAccountId = createBankAccount(owner, uniqueTestNumber()).text("id");
        Map<String, Object> real = Map.of("accountId", owner.id(), "bankAccountId", bankAccountId,
                "bankAccountNumber", uniqueTestNumber(), "url", "http://127.0.0.1:9/hooks");
        for (String path : List.of("/api/bank-accounts", "/api/bank-account-connection-intents",
                "/api/webhook-endpoints", "/api/bank-account-requests", "/api/funds-transfers")) {
            JsonNode json = document.at("/paths/" + path.replace("/", "~1")
                    + "/post/requestBody/content/application~1json");
            assertThat(json.get("example")).as(path + ": the example Swagger UI sends").isNotNull();
            assertThat(json.get("example")).as(path).isEqualTo(exampleOf(json.get("schema")));
            ObjectNode body = (ObjectNode) json.get("example").deepCopy();
            real.forEach((field, value) -> {
                if (body.has(field)) {
                    body.put(field, value.toString());
                }
            });
            Response response = api.postRaw(path, owner.key(), JSON, body.toString());
            assertThat(response.status()).as(path + " " + body + " -> " + response).isNotEqualTo(400)
                    .isLessThan(500);
        }
    }

    /**
     * The request schemas refuse what the server refuses with 400 and take what it takes, as a generated client's
     * validator reads them (JSON Schema: a pattern matches anywhere unless anchored).
     */
    @Test
    void requestSchemasTakeAndRefuseWhatTheServerDoes() {
        TestAccount owner = newAccount(true);
        String number = uniqueTestNumber();
        Map<String, Boolean> bodies = new LinkedHashMap<>();
        bodies.put("{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"\"}", false);
        bodies.put("{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"   \"}", false);
        bodies.put("{\"bankAccountNumber\":\"hello\",\"bankAccountName\":\"Jo\"}", false);
        bodies.put("{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"Jo\",\"phoneNumber\":"
                + "\"+64212345678x\"}", false);
        bodies.put("{\"bankAccountNumber\":\"" + number.replace("-", "") + "\",\"bankAccountName\":\"Jo\"}", true);
        // White space as the server reads it (Character.isWhitespace), which neither language's \s is.
        bodies.put("{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"\\u3000\\u001c\"}", false);
        bodies.put("{\"accountId\":\"\\u3000\",\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"Jo\"}",
                false);
        bodies.put("{\"bankAccountNumber\":\"" + uniqueTestNumber() + "\",\"bankAccountName\":\"\\u00a0\"}", true);
        // Text, but with a control character or a bidirectional override: refused by both (NameText).
        bodies.put("{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"Jo\\u0007\"}", false);
        bodies.put("{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"Jo\\u202e\"}", false);
        String authority = "\"phoneNumber\":\"+64212345678\",\"fullName\":\"Jo\",\"emailAddress\":\"jo@example.com\"";
        bodies.put("{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"Jo\","
                + authority.replace("\"fullName\":\"Jo\"", "\"fullName\":\"J\\no\"") + "}", false);
        for (String empty : List.of("fullName", "emailAddress")) {
            bodies.put("{\"bankAccountNumber\":\"" + number + "\",\"bankAccountName\":\"Jo\","
                    + authority.replaceFirst("(\"" + empty + "\":)\"[^\"]*\"", "$1\"\"") + "}", false);
        }
        bodies.put("{\"bankAccountNumber\":\"" + uniqueTestNumber() + "\",\"bankAccountName\":\"Jo\","
                + authority + "}", true);
        for (Map.Entry<String, Boolean> body : bodies.entrySet()) {
            JsonNode json = ApiClient.JSON.readTree(body.getKey());
            List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(strictSchema(document.at("/paths/~1api~1bank-accounts/post/requestBody/content/"
                            + "application~1json/schema")))
                    .validate(json);
            Response answer = api.postRaw("/api/bank-accounts", owner.key(), JSON, body.getKey());
            assertThat(errors.isEmpty()).as(body.getKey() + " against the schema: " + errors)
                    .isEqualTo(body.getValue());
            assertThat(answer.status() == 400).as(body.getKey() + " -> " + answer).isEqualTo(!body.getValue());
        }
        JsonNode declineBody = document.at("/paths/~1api~1bank-account-approvals~1{approvalId}~1decline/post/"
                + "requestBody");
        assertThat(declineBody.path("required").asBoolean()).isTrue();
        JsonNode decline = declineBody.at("/content/application~1json/schema");
        assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(strictSchema(decline)).validate(ApiClient.JSON.readTree("{}"))).isNotEmpty();
        JsonNode upload = document.at("/paths/~1api~1media-uploads/post/requestBody");
        assertThat(upload.path("required").asBoolean()).isTrue();
        assertThat(upload.at("/content/multipart~1form-data/schema/required").toString()).isEqualTo("[\"file\"]");
    }

    /** A body of a schema's property examples, nested objects included. */
    private ObjectNode exampleOf(JsonNode schema) {
        JsonNode resolved = schema.has("$ref")
                ? document.at("/components/schemas/" + schema.get("$ref").asString().replaceFirst(".*/", ""))
                : schema;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        resolved.path("properties").properties().forEach(property -> {
            JsonNode example = property.getValue().get("example");
            if (example != null) {
                body.set(property.getKey(), example);
            } else if (property.getValue().has("$ref")) {
                body.set(property.getKey(), exampleOf(property.getValue()));
            }
        });
        return body;
    }

    /** The README's table of endpoints and the document agree on what {@code /api} offers. */
    @Test
    void everyApiEndpointOfTheReadmeTableIsDocumented() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String path : names(document.get("paths"))) {
            for (String method : names(document.get("paths").get(path))) {
                documented.add(method.toUpperCase() + " " + path.replaceAll("\\{[^}]*}", "{}"));
            }
        }
        Matcher endpoint = Pattern.compile("`(GET|POST) (/api/[^`\\[ ]*)").matcher(
                Files.readString(Path.of("..", "README.md")));
        Set<String> listed = new TreeSet<>();
        while (endpoint.find()) {
            listed.add(endpoint.group(1) + " " + endpoint.group(2).replaceAll("\\{[^}]*}", "{}"));
        }
        assertThat(listed).as("endpoints in the README").hasSizeGreaterThan(25);
        assertThat(documented).containsAll(listed);
    }

    @Test
    void everyMappedApiEndpointIsDocumentedWithItsKeyAndErrorCodes() {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).as("the /api endpoints found in the handler mapping").hasSizeGreaterThan(35);
        List<String> problems = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            ErrorCodes codes = endpoint.handler().getMethodAnnotation(ErrorCodes.class);
            if (codes == null) {
                problems.add(endpoint + " has no @ErrorCodes: annotate the controller method with "
                        + "@com.bankaccounts.platform.openapi.ErrorCodes(forbidden = {...}, notFound = {...}) listing "
                        + "the ErrorCodes it can answer (admin-only: forbidden = ADMIN_KEY_REQUIRED)");
            }
            JsonNode operation = operation(endpoint.method(), endpoint.path());
            if (operation == null) {
                problems.add(endpoint + " is missing from /v3/api-docs (springdoc documents the @RestController "
                        + "methods of springdoc.paths-to-match, /api/**)");
                continue;
            }
            if (!operation.path("security").toString().contains("\"apiKey\"")) {
                problems.add(endpoint + " does not require the apiKey security scheme");
            }
            for (Map.Entry<HttpStatus, Set<String>> expected : expectedErrors(endpoint, operation).entrySet()) {
                Set<String> documented = documentedMessages(operation, expected.getKey().value());
                for (String message : expected.getValue()) {
                    if (!documented.contains(message)) {
                        problems.add(endpoint + " lacks its " + expected.getKey().value() + " " + message);
                    }
                }
            }
        }
        // Nothing documented that is not mapped.
        Set<String> mapped = endpoints.stream().map(e -> e.method() + " " + e.path()).collect(Collectors.toSet());
        for (String path : names(document.get("paths"))) {
            for (String method : names(document.get("paths").get(path))) {
                if (isHttpMethod(method) && !mapped.contains(method.toUpperCase() + " " + path)) {
                    problems.add(method.toUpperCase() + " " + path + " is documented but not mapped");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyErrorCodeIsDocumentedSomewhere() {
        Set<String> documented = new TreeSet<>();
        collectExampleMessages(document, documented);
        Set<String> missing = Arrays.stream(ErrorCode.values()).map(Enum::name)
                .filter(code -> !documented.contains(code))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing).as("error codes that no answer in /v3/api-docs shows: list each in the @ErrorCodes of "
                + "the endpoints that can answer it").isEmpty();
    }

    @Test
    void everyFieldOfTheRequestAndResponseRecordsIsInItsSchema() {
        JsonNode schemas = document.at("/components/schemas");
        List<String> problems = new ArrayList<>();
        Set<Class<?>> records = new LinkedHashSet<>();
        for (Endpoint endpoint : endpoints()) {
            collectRecords(endpoint.handler().getMethod().getGenericReturnType(), records);
            for (MethodParameter parameter : endpoint.handler().getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    collectRecords(parameter.getGenericParameterType(), records);
                }
            }
            JsonNode ok = operation(endpoint.method(), endpoint.path()).at("/responses/200/content");
            Class<?> returned = endpoint.handler().getMethod().getReturnType();
            if (returned.isRecord()) {
                String ref = ok.path(JSON).path("schema").path("$ref").asString("");
                if (!ref.equals("#/components/schemas/" + returned.getSimpleName())) {
                    problems.add(endpoint + " answers " + returned.getSimpleName() + " but documents " + ok);
                }
            }
        }
        assertThat(records).as("records of the API").hasSizeGreaterThan(15);
        for (Class<?> record : records) {
            JsonNode schema = schemas.get(record.getSimpleName());
            if (schema == null) {
                problems.add("no schema " + record.getSimpleName() + " for " + record.getName());
                continue;
            }
            for (RecordComponent component : record.getRecordComponents()) {
                if (!schema.path("properties").has(component.getName())) {
                    problems.add("schema " + record.getSimpleName() + " lacks " + component.getName());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * An answer's schema lists as required every property but those an answer may leave out, so that a generated
     * client types them as never missing; request bodies keep their own rules. Whether the lists are right, real
     * answers say ({@link #realAnswersValidateAgainstTheirSchemas}).
     */
    @Test
    void answersRequireEveryFieldTheyAlwaysHold() {
        JsonNode schemas = document.at("/components/schemas");
        for (String optional : OpenApiConfiguration.OPTIONAL) {
            String[] parts = optional.split("\\.");
            JsonNode schema = schemas.get(parts[0]);
            assertThat(schema).as("OPTIONAL names a schema: " + optional).isNotNull();
            assertThat(schema.path("properties").has(parts[1])).as("OPTIONAL names a property: " + optional).isTrue();
            assertThat(values(schema.path("required"))).as(optional).doesNotContain(parts[1]);
        }
        assertThat(values(schemas.at("/BankAccountResponse/required"))).contains("id", "accountId",
                "bankAccountNumber", "status", "verified", "approvals", "createdAt").doesNotContain("test");
        assertThat(values(schemas.at("/ErrorBody/required")))
                .containsExactlyInAnyOrder("statusCode", "error", "message", "requestId");
        assertThat(values(schemas.at("/CreateBankAccountRequest/required")))
                .containsExactlyInAnyOrder("bankAccountNumber", "bankAccountName");
        for (String name : names(schemas)) {
            JsonNode schema = schemas.get(name);
            if (name.endsWith("Response") && schema.has("properties")) {
                assertThat(schema.has("required")).as(name + " lists its required properties").isTrue();
            }
        }
    }

    private static List<String> values(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    /** Every endpoint, with ids nobody has, as an account's key and as the admin: each answer is documented. */
    @Test
    void everyEndpointsRefusalsOfUnknownIdsAreDocumented() {
        TestAccount account = newAccount(true);
        int refusals = 0;
        for (Endpoint endpoint : endpoints()) {
            String path = endpoint.path().replaceAll("\\{[A-Za-z]*Id}", Ids.newId())
                    .replaceAll("\\{[A-Za-z]+}", "no-such-thing");
            for (String key : List.of(account.key(), ADMIN_KEY)) {
                Response response = endpoint.method().equals("GET") ? api.get(path, key) : api.post(path, key, "{}");
                checked(endpoint.method(), endpoint.path(), response);
                refusals += response.status() >= 400 ? 1 : 0;
            }
        }
        assertThat(refusals).as("refusals among the calls").isGreaterThan(60);
    }

    @Test
    void realAnswersValidateAgainstTheirSchemas() {
        Response account = checked("POST", "/api/accounts",
                api.post("/api/accounts", ADMIN_KEY, ApiClient.map("name", "Acme", "test", true)));
        String accountId = account.text("id");
        Response key = checked("POST", "/api/accounts/{accountId}/api-keys", api.post("/api/accounts/" + accountId
                + "/api-keys", ADMIN_KEY, ApiClient.map("name", "MyApiKey", "role", "account-owner")));
        TestAccount owner = new TestAccount(accountId, key.text("secret"));
        checked("GET", "/api/accounts/{accountId}", api.get("/api/accounts/" + accountId, owner.key()));
        checked("GET", "/api/accounts/{accountId}/api-keys", api.get("/api/accounts/" + accountId + "/api-keys",
                owner.key()));

        String number = uniqueTestNumber();
        Response bankAccount = checked("POST", "/api/bank-accounts", createBankAccountWithAuthority(owner, number));
        String bankAccountId = bankAccount.text("id");
        checked("GET", "/api/bank-accounts/{bankAccountId}", api.get("/api/bank-accounts/" + bankAccountId,
                owner.key()));
        checked("GET", "/api/accounts/{accountId}/bank-accounts", api.get("/api/accounts/" + accountId
                + "/bank-accounts", owner.key()));
        String plainId = checked("POST", "/api/bank-accounts", createBankAccount(owner, uniqueTestNumber())).text("id");
        checked("POST", "/api/bank-accounts/{bankAccountId}/direct-debit-authorities", api.post(
                "/api/bank-accounts/" + plainId + "/direct-debit-authorities", owner.key(), authority()));

        Response transfer = checked("POST", "/api/funds-transfers", api.post("/api/funds-transfers", owner.key(),
                ApiClient.map("bankAccountId", bankAccountId, "type", "topup", "amount", "1000")));
        String transferId = transfer.text("id");
        checked("GET", "/api/funds-transfers/{fundsTransferId}", api.get("/api/funds-transfers/" + transferId,
                owner.key()));
        checked("GET", "/api/accounts/{accountId}/funds-transfers", api.get("/api/accounts/" + accountId
                + "/funds-transfers", owner.key()));
        checked("GET", "/api/bank-accounts/{bankAccountId}/test-statement", api.get("/api/bank-accounts/"
                + bankAccountId + "/test-statement", owner.key()));
        String code = statementCode(owner, bankAccountId, transferId);
        String wrongCode = code.equals("0000") ? "0001" : "0000";
        checked("POST", "/api/bank-accounts/{bankAccountId}/verify", api.post("/api/bank-accounts/" + bankAccountId
                + "/verify", owner.key(), ApiClient.map("verificationCode", wrongCode)));
        checked("POST", "/api/bank-accounts/{bankAccountId}/verify", api.post("/api/bank-accounts/" + bankAccountId
                + "/verify", owner.key(), ApiClient.map("verificationCode", code)));

        Response upload = checked("POST", "/api/media-uploads", uploadPdf(owner));
        String mediaUploadId = upload.text("id");
        checked("GET", "/api/media-uploads/{mediaUploadId}", api.get("/api/media-uploads/" + mediaUploadId,
                owner.key()));
        Response approval = checked("POST", "/api/bank-account-approvals", api.post("/api/bank-account-approvals",
                owner.key(), ApiClient.map("mediaUploadId", mediaUploadId, "bankAccountId", bankAccountId,
                        "type", "settlement")));
        String approvalId = approval.text("id");
        checked("POST", "/api/bank-account-approvals", api.post("/api/bank-account-approvals", owner.key(),
                ApiClient.map("mediaUploadId", mediaUploadId, "bankAccountId", bankAccountId, "type", "settlement")));
        checked("POST", "/api/bank-account-approvals/{approvalId}/accept", api.post("/api/bank-account-approvals/"
                + approvalId + "/accept", ADMIN_KEY, ApiClient.map("reason", "matches")));
        checked("POST", "/api/bank-account-approvals/{approvalId}/decline", api.post("/api/bank-account-approvals/"
                + approvalId + "/decline", ADMIN_KEY, ApiClient.map("reason", "too late")));
        checked("POST", "/api/bank-account-approvals/{approvalId}/complete", api.post("/api/bank-account-approvals/"
                + approvalId + "/complete", ADMIN_KEY, "{}"));
        checked("GET", "/api/bank-account-approvals/{approvalId}", api.get("/api/bank-account-approvals/"
                + approvalId, owner.key()));
        checked("GET", "/api/bank-accounts/{bankAccountId}/approvals", api.get("/api/bank-accounts/" + bankAccountId
                + "/approvals", owner.key()));
        checked("GET", "/api/bank-account-approvals/{approvalId}/history", api.get("/api/bank-account-approvals/"
                + approvalId + "/history", owner.key()));

        Response intent = checked("POST", "/api/bank-account-connection-intents", api.post(
                "/api/bank-account-connection-intents", owner.key(),
                ApiClient.map("accountId", accountId, "type", "account-information-consent", "test", true)));
        checked("GET", "/api/bank-account-connection-intents/{connectionIntentId}", api.get(
                "/api/bank-account-connection-intents/" + intent.text("id"), owner.key()));
        checked("POST", "/api/bank-account-connection-intents/{connectionIntentId}/authorize", api.post(
                "/api/bank-account-connection-intents/" + intent.text("id") + "/authorize", owner.key(),
                ApiClient.map("code", "not-a-code", "state", "not-the-state")));
        Response request = checked("POST", "/api/bank-account-requests", api.post("/api/bank-account-requests",
                owner.key(), ApiClient.map("accountId", accountId, "type", "quartz-details")));
        checked("GET", "/api/bank-account-requests/{bankAccountRequestId}", api.get("/api/bank-account-requests/"
                + request.text("id"), owner.key()));

        Response authority = checked("POST", "/api/bank-authorities", api.post("/api/bank-authorities", owner.key(),
                ApiClient.map("accountId", accountId, "fullName", "John Doe", "phoneNumber", "+64212345678",
                        "emailAddress", "john.doe@gmail.com", "bankAccountNumber", uniqueTestNumber(),
                        "bankAccountName", "John Doe")));
        checked("GET", "/api/bank-authorities/{bankAccountId}", api.get("/api/bank-authorities/"
                + authority.text("id"), owner.key()));
        checked("GET", "/api/bank-authorities", api.get("/api/bank-authorities", owner.key()));
        checked("GET", "/api/admin/projections", api.get("/api/admin/projections", ADMIN_KEY));
        checked("GET", "/api/admin/projections/{name}", api.get("/api/admin/projections/bank-accounts", ADMIN_KEY));

        // Refusals: each in the error format, with a status and code the document lists for the endpoint.
        assertRefused(checked("POST", "/api/bank-accounts", createBankAccount(owner, number)), 403,
                "DUPLICATE_BANK_ACCOUNT");
        String withoutAuthority = newBankAccount(owner);
        assertRefused(checked("POST", "/api/funds-transfers", api.post("/api/funds-transfers", owner.key(),
                ApiClient.map("bankAccountId", withoutAuthority, "type", "topup", "amount", "1000"))), 403,
                "DIRECT_DEBIT_NOT_AUTHORIZED");
        assertRefused(checked("GET", "/api/accounts/{accountId}", api.get("/api/accounts/" + accountId, null)), 401,
                "API_KEY_REQUIRED");
        assertRefused(checked("GET", "/api/accounts/{accountId}", api.get("/api/accounts/" + accountId, "wrong")),
                401, "API_KEY_INVALID");
        assertRefused(checked("GET", "/api/admin/projections", api.get("/api/admin/projections", owner.key())), 403,
                "ADMIN_KEY_REQUIRED");
        assertRefused(checked("POST", "/api/media-uploads", api.postRaw("/api/media-uploads", owner.key(),
                "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n")), 403,
                "FILE_TYPE_INVALID");
        Response invalid = checked("POST", "/api/bank-accounts", api.post("/api/bank-accounts", owner.key(), "{}"));
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
        Response wrongType = checked("POST", "/api/funds-transfers", api.postRaw("/api/funds-transfers",
                owner.key(), "text/plain", "hello"));
        assertThat(wrongType.status()).as(wrongType.toString()).isEqualTo(415);
        // springdoc brings a YAML library along; the API still reads only JSON.
        Response yaml = checked("POST", "/api/funds-transfers", api.postRaw("/api/funds-transfers", owner.key(),
                "application/yaml", "bankAccountId: " + bankAccountId + "\ntype: topup\namount: '1000'\n"));
        assertThat(yaml.status()).as(yaml.toString()).isEqualTo(415);
        Response content = api.get("/api/media-uploads/" + mediaUploadId + "/content", owner.key());
        assertThat(content.status()).isEqualTo(200);
        assertThat(operation("GET", "/api/media-uploads/{mediaUploadId}/content")
                .at("/responses/200/content").has("application/pdf")).isTrue();
    }

    /**
     * Asserts that the answer's status is documented for the operation, that an error code in it is one the document
     * lists there, and that the body validates against the documented schema; returns the answer.
     */
    private Response checked(String method, String path, Response response) {
        JsonNode operation = operation(method, path);
        assertThat(operation).as(method + " " + path + " in the document").isNotNull();
        String status = String.valueOf(response.status());
        JsonNode documented = operation.path("responses").get(status);
        assertThat(documented).as(method + " " + path + " documents " + status + ": " + response).isNotNull();
        if (response.status() >= 400) {
            String message = response.message();
            if (Arrays.stream(ErrorCode.values()).anyMatch(code -> code.name().equals(message))) {
                assertThat(documentedMessages(operation, response.status()))
                        .as(method + " " + path + " lists " + status + " " + message).contains(message);
            }
        }
        JsonNode schema = documented.path("content").path(JSON).get("schema");
        assertThat(schema).as(method + " " + path + " " + status + " has a JSON schema").isNotNull();
        JsonNode body = response.json();
        if (response.status() >= 400 && body instanceof ObjectNode error && !error.has("requestId")) {
            // ApiClient leaves the id out of error bodies (it differs every time), so this test cannot see it missing:
            // RequestIdApiTest reads the bodies raw and checks it.
            error.put("requestId", "0");
        }
        List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(strictSchema(schema))
                .validate(body);
        assertThat(errors).as(method + " " + path + " " + response + " against " + schema).isEmpty();
        return response;
    }

    /**
     * The operation's schema with the document's components beside it, so its {@code $ref}s resolve; objects with
     * properties admit no others, so a field the schema lacks fails too.
     */
    private ObjectNode strictSchema(JsonNode schema) {
        ObjectNode components = (ObjectNode) document.get("components").deepCopy();
        for (JsonNode component : components.path("schemas")) {
            if (component.has("properties") && !component.has("additionalProperties")) {
                ((ObjectNode) component).put("additionalProperties", false);
            }
        }
        ObjectNode wrapper = ApiClient.JSON.createObjectNode();
        wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        wrapper.set("components", components);
        schema.properties().forEach(entry -> wrapper.set(entry.getKey(), entry.getValue()));
        return wrapper;
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            for (String path : entry.getKey().getPatternValues()) {
                if (!path.startsWith("/api/")) {
                    continue;
                }
                Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
                assertThat(methods).as(path + " is mapped to a method").isNotEmpty();
                for (RequestMethod method : methods) {
                    endpoints.add(new Endpoint(method.name(), path, entry.getValue()));
                }
            }
        }
        return endpoints;
    }

    private JsonNode operation(String method, String path) {
        JsonNode operation = document.path("paths").path(path).get(method.toLowerCase());
        return operation == null || operation.isMissingNode() ? null : operation;
    }

    /** What the annotation and the common answers say the operation must document. */
    private static Map<HttpStatus, Set<String>> expectedErrors(Endpoint endpoint, JsonNode operation) {
        Map<HttpStatus, Set<String>> expected = new java.util.TreeMap<>();
        ErrorCodes codes = endpoint.handler().getMethodAnnotation(ErrorCodes.class);
        if (codes != null) {
            expect(expected, HttpStatus.FORBIDDEN, codes.forbidden());
            expect(expected, HttpStatus.NOT_FOUND, codes.notFound());
            expect(expected, HttpStatus.CONFLICT, codes.conflict());
            expect(expected, HttpStatus.UNPROCESSABLE_CONTENT, codes.unprocessable());
            expect(expected, HttpStatus.BAD_GATEWAY, codes.badGateway());
            expect(expected, HttpStatus.SERVICE_UNAVAILABLE, codes.serviceUnavailable());
        }
        boolean body = operation.has("requestBody");
        boolean jsonBody = operation.path("requestBody").path("content").has(JSON);
        boolean multipartBody = operation.path("requestBody").path("content").has("multipart/form-data");
        for (Common common : ErrorCodesOperationCustomizer.COMMON) {
            boolean applies = common.scope() == Scope.EVERY
                    || (common.scope() == Scope.POST && endpoint.method().equals("POST"))
                    || (common.scope() == Scope.BODY && body)
                    || (common.scope() == Scope.JSON_BODY && jsonBody)
                    || (common.scope() == Scope.MULTIPART_BODY && multipartBody);
            if (applies) {
                expected.computeIfAbsent(common.status(), s -> new LinkedHashSet<>()).addAll(common.messages());
            }
        }
        return expected;
    }

    private static void expect(Map<HttpStatus, Set<String>> expected, HttpStatus status, ErrorCode[] codes) {
        for (ErrorCode code : codes) {
            expected.computeIfAbsent(status, s -> new LinkedHashSet<>()).add(code.name());
        }
    }

    /** The {@code message}s of the examples the operation documents for the status. */
    private static Set<String> documentedMessages(JsonNode operation, int status) {
        Set<String> messages = new TreeSet<>();
        for (JsonNode example : operation.path("responses").path(String.valueOf(status)).path("content").path(JSON)
                .path("examples")) {
            messages.add(example.path("value").path("message").asString(""));
        }
        return messages;
    }

    private static void collectExampleMessages(JsonNode node, Set<String> messages) {
        if (node.isObject()) {
            if (node.has("examples") && node.get("examples").isObject()) {
                for (JsonNode example : node.get("examples")) {
                    messages.add(example.path("value").path("message").asString(""));
                }
            }
            node.forEach(child -> collectExampleMessages(child, messages));
        } else if (node.isArray()) {
            node.forEach(child -> collectExampleMessages(child, messages));
        }
    }

    /** The records a type is made of: itself, the elements of its lists, the records among their fields. */
    private static void collectRecords(Type type, Set<Class<?>> records) {
        if (type instanceof ParameterizedType parameterized) {
            if (parameterized.getRawType() == ResponseEntity.class
                    || Collection.class.isAssignableFrom((Class<?>) parameterized.getRawType())) {
                for (Type argument : parameterized.getActualTypeArguments()) {
                    collectRecords(argument, records);
                }
            }
        } else if (type instanceof Class<?> type1 && type1.isRecord() && records.add(type1)) {
            for (RecordComponent component : type1.getRecordComponents()) {
                collectRecords(component.getGenericType(), records);
            }
        }
    }

    private static List<String> names(JsonNode node) {
        return StreamSupport.stream(node.propertyNames().spliterator(), false).toList();
    }

    private static boolean isHttpMethod(String name) {
        return Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(name);
    }
}
