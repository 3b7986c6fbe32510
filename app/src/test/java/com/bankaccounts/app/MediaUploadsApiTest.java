package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import com.bankaccounts.platform.testing.ApiClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MediaUploadsApiTest extends ApiTestSupport {

    private static final String PATH = "/api/media-uploads";
    private static final int FIVE_MB = 5 * 1024 * 1024;
    private static final byte[] PDF = {'%', 'P', 'D', 'F', '-'};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] ELF = {0x7F, 'E', 'L', 'F'};
    private static final byte[] WINDOWS_EXECUTABLE = {'M', 'Z'};
    private static final Set<String> DOCUMENTED_FIELDS =
            Set.of("id", "accountId", "fileName", "mimeType", "size", "sha256", "createdAt", "createdBy");

    /** The shared client reads bodies as text; file content has to come back byte for byte. */
    private final HttpClient binary = HttpClient.newHttpClient();

    private TestAccount owner;

    @BeforeEach
    void anOwner() {
        owner = newAccount(true);
    }

    /** One part of a multipart/form-data body; a null file name makes it a plain form field. */
    private record Part(String name, String fileName, String contentType, byte[] content) {

        static Part file(String fileName, byte[] content) {
            return new Part("file", fileName, "application/octet-stream", content);
        }

        static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] multipart(String boundary, Part... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(part.name()).append('"');
            if (part.fileName() != null) {
                head.append("; filename=\"").append(part.fileName()).append('"');
            }
            head.append("\r\n");
            if (part.contentType() != null) {
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            head.append("\r\n");
            body.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private Response upload(String key, Part... parts) {
        String boundary = "----boundary" + UUID.randomUUID().toString().replace("-", "");
        return api.send(api.request(PATH, key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, parts)))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .build());
    }

    private Response uploadFile(String key, String fileName, byte[] content) {
        return upload(key, Part.file(fileName, content));
    }

    private HttpResponse<byte[]> content(String id, String key) {
        HttpRequest.Builder request = api.request(PATH + "/" + id + "/content", key).GET();
        try {
            return binary.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The signature, then some deterministic filler, so every file is a little different. */
    private static byte[] file(byte[] signature, int size) {
        byte[] content = new byte[size];
        new Random(size * 31L + signature[0]).nextBytes(content);
        System.arraycopy(signature, 0, content, 0, signature.length);
        return content;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long storedUploads() {
        return jdbc.sql("SELECT COUNT(*) FROM media_uploads").query(Long.class).single();
    }

    private long storedUploadsOf(TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM media_uploads WHERE account_id = ?").param(account.id())
                .query(Long.class).single();
    }

    private String ownerCrn() {
        return "crn:" + owner.id() + ":api-key:MyApiKey";
    }

    private void assertUploaded(Response response, String fileName, String mimeType, byte[] content) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.propertyNames()).as(response.toString()).containsAll(DOCUMENTED_FIELDS);
        assertThat(json.get("id").asString()).hasSize(22);
        assertThat(json.get("accountId").asString()).isEqualTo(owner.id());
        assertThat(json.get("fileName").asString()).isEqualTo(fileName);
        assertThat(json.get("mimeType").asString()).isEqualTo(mimeType);
        assertThat(json.get("size").isNumber()).as("size is a number: " + response).isTrue();
        assertThat(json.get("size").asLong()).isEqualTo(content.length);
        assertThat(json.get("sha256").asString()).isEqualTo(sha256(content));
        assertThat(json.get("createdAt").asString()).matches(TIMESTAMP);
        assertThat(json.get("createdBy").asString()).isEqualTo(ownerCrn());
    }

    // Uploading

    @Test
    void aPdfIsStoredWithEveryDocumentedField() {
        byte[] pdf = file(PDF, 2048);
        long before = storedUploads();

        assertUploaded(uploadFile(owner.key(), "statement.pdf", pdf), "statement.pdf", "application/pdf", pdf);

        assertThat(storedUploads()).isEqualTo(before + 1);
    }

    @Test
    void aPngIsStoredAsAnImage() {
        byte[] png = file(PNG, 1500);
        assertUploaded(uploadFile(owner.key(), "photo.png", png), "photo.png", "image/png", png);
    }

    @Test
    void aJpegIsStoredAsAnImage() {
        byte[] jpeg = file(JPEG, 900);
        assertUploaded(uploadFile(owner.key(), "photo.jpg", jpeg), "photo.jpg", "image/jpeg", jpeg);
    }

    @Test
    void theTypeComesFromTheBytesNotTheName() {
        byte[] png = file(PNG, 700);
        assertUploaded(uploadFile(owner.key(), "photo.pdf", png), "photo.pdf", "image/png", png);
    }

    @Test
    void theTypeTheClientClaimsIsIgnored() {
        byte[] jpeg = file(JPEG, 600);
        Response response = upload(owner.key(), new Part("file", "scan.png", "image/png", jpeg));
        assertUploaded(response, "scan.png", "image/jpeg", jpeg);
    }

    @Test
    void aRenamedLinuxExecutableIsRefusedAndNotStored() {
        long before = storedUploads();

        assertRefused(uploadFile(owner.key(), "statement.pdf", file(ELF, 4096)), 403, "FILE_TYPE_INVALID");

        assertThat(storedUploads()).isEqualTo(before);
        assertThat(storedUploadsOf(owner)).isZero();
    }

    @Test
    void aRenamedWindowsExecutableIsRefusedAndNotStored() {
        long before = storedUploads();

        assertRefused(uploadFile(owner.key(), "statement.pdf", file(WINDOWS_EXECUTABLE, 4096)), 403,
                "FILE_TYPE_INVALID");

        assertThat(storedUploads()).isEqualTo(before);
        assertThat(storedUploadsOf(owner)).isZero();
    }

    @Test
    void aFileShorterThanEverySignatureIsRefused() {
        assertRefused(uploadFile(owner.key(), "statement.pdf", new byte[] {'%', 'P'}), 403, "FILE_TYPE_INVALID");
        assertThat(storedUploadsOf(owner)).isZero();
    }

    @Test
    void aFileOverFiveMegabytesIsRefusedAndNotStored() {
        long before = storedUploads();

        assertRefused(uploadFile(owner.key(), "statement.pdf", file(PDF, FIVE_MB + 1)), 403, "FILE_TOO_LARGE");

        assertThat(storedUploads()).isEqualTo(before);
        assertThat(storedUploadsOf(owner)).isZero();
    }

    @Test
    void aFileOfExactlyFiveMegabytesIsStored() {
        byte[] pdf = file(PDF, FIVE_MB);

        Response response = uploadFile(owner.key(), "statement.pdf", pdf);

        assertUploaded(response, "statement.pdf", "application/pdf", pdf);
        assertThat(content(response.text("id"), owner.key()).body()).isEqualTo(pdf);
    }

    @Test
    void aMissingFilePartIsABadRequest() {
        Response response = upload(owner.key(), Part.field("purpose", "settlement-evidence"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().get("statusCode").asInt()).isEqualTo(400);
        assertThat(response.message()).contains("file");
        assertThat(storedUploadsOf(owner)).isZero();
    }

    @Test
    void anEmptyFileIsABadRequest() {
        Response response = uploadFile(owner.key(), "statement.pdf", new byte[0]);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().get("statusCode").asInt()).isEqualTo(400);
        assertThat(response.message()).contains("file");
        assertThat(storedUploadsOf(owner)).isZero();
    }

    @Test
    void jsonIsNotAnUploadAndAnswersInTheErrorFormat() {
        Response response = api.post(PATH, owner.key(), ApiClient.map("file", "JVBERi0xLjQ=", "fileName", "a.pdf"));

        assertThat(response.status()).as(response.toString()).isIn(400, 415);
        JsonNode json = response.json();
        assertThat(json.get("statusCode").asInt()).isEqualTo(response.status());
        assertThat(json.get("error").asString()).isNotBlank();
        assertThat(json.get("message").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at com.");
        assertThat(storedUploadsOf(owner)).isZero();
    }

    @Test
    void aRefusedContentTypeNamesTheOneThisEndpointTakes() {
        Response response = api.post(PATH, owner.key(), ApiClient.map("file", "JVBERi0xLjQ="));

        assertThat(response.status()).as(response.toString()).isIn(400, 415);
        assertThat(response.message())
                .as("BUG: POST /api/media-uploads with JSON tells the client to send JSON (the shared 415 message of "
                        + "ApiExceptionHandler.unsupportedMediaType); this endpoint takes multipart/form-data")
                .doesNotContain("application/json")
                .contains("multipart/form-data");
    }

    @Test
    void thePurposeIsStoredAndReturned() {
        byte[] pdf = file(PDF, 1024);

        Response response = upload(owner.key(), Part.file("statement.pdf", pdf),
                Part.field("purpose", "settlement-evidence"));

        assertUploaded(response, "statement.pdf", "application/pdf", pdf);
        assertThat(response.text("purpose")).isEqualTo("settlement-evidence");
        assertThat(jdbc.sql("SELECT purpose FROM media_uploads WHERE id = ?").param(response.text("id"))
                .query(String.class).single()).isEqualTo("settlement-evidence");
        assertThat(api.get(PATH + "/" + response.text("id"), owner.key()).text("purpose"))
                .isEqualTo("settlement-evidence");
    }

    @Test
    void withoutAPurposeNoneIsShown() {
        Response response = uploadFile(owner.key(), "statement.pdf", file(PDF, 100));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().has("purpose")).as(response.toString()).isFalse();
    }

    @Test
    void aPurposeOverOneHundredCharactersIsABadRequest() {
        Response response = upload(owner.key(), Part.file("statement.pdf", file(PDF, 100)),
                Part.field("purpose", "x".repeat(101)));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.message()).contains("purpose");
        assertThat(storedUploadsOf(owner)).isZero();
    }

    @Test
    void theFileNameKeepsOnlyItsLastPathSegment() {
        byte[] pdf = file(PDF, 100);
        Response response = uploadFile(owner.key(), "../../etc/statement.pdf", pdf);
        assertUploaded(response, "statement.pdf", "application/pdf", pdf);
    }

    @Test
    void theAdminKeyCannotUploadAsUploadsBelongToAnAccount() {
        long before = storedUploads();

        Response response = uploadFile(ADMIN_KEY, "statement.pdf", file(PDF, 100));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().get("statusCode").asInt()).isEqualTo(400);
        assertThat(storedUploads()).isEqualTo(before);
    }

    @Test
    void uploadingWithoutAKeyAnswers401() {
        long before = storedUploads();

        assertRefused(uploadFile(null, "statement.pdf", file(PDF, 100)), 401, "API_KEY_REQUIRED");

        assertThat(storedUploads()).isEqualTo(before);
    }

    @Test
    void uploadingWithAWrongKeyAnswers401() {
        assertRefused(uploadFile(owner.key() + "x", "statement.pdf", file(PDF, 100)), 401, "API_KEY_INVALID");
        assertThat(storedUploadsOf(owner)).isZero();
    }

    // Reading

    @Test
    void theOwnerReadsTheMetadataAsUploaded() {
        Response uploaded = uploadFile(owner.key(), "statement.pdf", file(PDF, 3000));

        Response read = api.get(PATH + "/" + uploaded.text("id"), owner.key());

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(uploaded.json());
    }

    @Test
    void theAdminReadsTheMetadata() {
        Response uploaded = uploadFile(owner.key(), "photo.png", file(PNG, 3000));

        Response read = api.get(PATH + "/" + uploaded.text("id"), ADMIN_KEY);

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(uploaded.json());
    }

    @Test
    void theOwnerDownloadsTheContentWithItsType() {
        byte[] jpeg = file(JPEG, 5000);
        String id = uploadFile(owner.key(), "photo.jpg", jpeg).text("id");

        HttpResponse<byte[]> download = content(id, owner.key());

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(jpeg);
        assertThat(download.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThat(download.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(download.headers().firstValue("content-disposition")).hasValueSatisfying(disposition ->
                assertThat(disposition).startsWith("attachment").contains("photo.jpg"));
    }

    @Test
    void theAdminDownloadsTheContentWithItsType() {
        byte[] pdf = file(PDF, 5000);
        String id = uploadFile(owner.key(), "statement.pdf", pdf).text("id");

        HttpResponse<byte[]> download = content(id, ADMIN_KEY);

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(pdf);
        assertThat(download.headers().firstValue("content-type")).hasValue("application/pdf");
    }

    @Test
    void aPngNamedLikeAPdfDownloadsAsAPng() {
        byte[] png = file(PNG, 2000);
        String id = uploadFile(owner.key(), "photo.pdf", png).text("id");

        HttpResponse<byte[]> download = content(id, owner.key());

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png);
        assertThat(download.headers().firstValue("content-type")).hasValue("image/png");
    }

    @Test
    void aFileNameOutsideLatin1StillDownloadsAsAnAttachment() {
        byte[] pdf = file(PDF, 100);
        Response uploaded = uploadFile(owner.key(), "\u62a5\u8868.pdf", pdf);
        assertUploaded(uploaded, "\u62a5\u8868.pdf", "application/pdf", pdf);

        HttpResponse<byte[]> download = content(uploaded.text("id"), owner.key());

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(pdf);
        assertThat(download.headers().firstValue("content-disposition"))
                .as("BUG: MediaUploadController.content sets ContentDisposition.attachment().filename(name) without a "
                        + "charset; for a name outside ISO-8859-1 Tomcat removes the whole Content-Disposition header "
                        + "as invalid (WARN from Http11Processor), so the download is no longer an attachment. "
                        + "filename(name, StandardCharsets.UTF_8) would send filename*=UTF-8''...")
                .hasValueSatisfying(disposition -> assertThat(disposition).startsWith("attachment"));
    }

    @Test
    void anotherAccountsKeyFindsNeitherMetadataNorContent() {
        TestAccount intruder = newAccount(true);
        String id = uploadFile(owner.key(), "statement.pdf", file(PDF, 100)).text("id");

        assertRefused(api.get(PATH + "/" + id, intruder.key()), 404, "MEDIA_UPLOAD_NOT_FOUND");
        HttpResponse<byte[]> download = content(id, intruder.key());
        assertThat(download.statusCode()).isEqualTo(404);
        Response body = new Response(download.statusCode(), new String(download.body(), StandardCharsets.UTF_8));
        assertThat(body.message()).isEqualTo("MEDIA_UPLOAD_NOT_FOUND");
    }

    @Test
    void anotherAccountsKeyAnswersAsAnUnknownIdDoes() {
        TestAccount intruder = newAccount(true);
        String id = uploadFile(owner.key(), "statement.pdf", file(PDF, 100)).text("id");
        String unknown = "DcTs3U38HdhfEqwF1GKoT3";

        Response foreign = api.get(PATH + "/" + id, intruder.key());
        Response missing = api.get(PATH + "/" + unknown, intruder.key());

        assertThat(foreign.status()).isEqualTo(missing.status()).isEqualTo(404);
        assertThat(foreign.json()).isEqualTo(missing.json());
        assertThat(content(unknown, owner.key()).statusCode()).isEqualTo(404);
    }

    @Test
    void readingWithoutAKeyAnswers401() {
        String id = uploadFile(owner.key(), "statement.pdf", file(PDF, 100)).text("id");

        assertRefused(api.get(PATH + "/" + id, null), 401, "API_KEY_REQUIRED");
        assertThat(content(id, null).statusCode()).isEqualTo(401);
    }
}
