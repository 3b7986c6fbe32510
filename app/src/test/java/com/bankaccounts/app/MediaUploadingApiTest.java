package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import com.bankaccounts.platform.testing.ApiClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Uploading evidence files: the type from the bytes, the size limit, bad input, who may upload. */
class MediaUploadingApiTest extends MediaUploadsApiSupport {

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

    /**
     * A query string does not get an upload's parts read before its key is checked, nor change its answers: no key is
     * 401 and too large is 403 FILE_TOO_LARGE with one too; the query itself must still be valid UTF-8.
     */
    @Test
    void anUploadWithAQueryStringIsAnsweredAsWithout() {
        // Over the multipart limit (20 MB) as well, so that parsing it at all would fail.
        byte[] huge = file(PDF, 4 * FIVE_MB + 1024);
        assertThat(uploadTo(PATH + "?x=1", null, Part.file("statement.pdf", huge)).status()).isEqualTo(401);
        assertRefused(uploadTo(PATH + "?x=1", owner.key(), Part.file("statement.pdf", huge)), 403, "FILE_TOO_LARGE");
        assertRefused(uploadTo(PATH + "?x=%E9", owner.key(), Part.file("statement.pdf", file(PDF, 100))), 400,
                "request parameters are not valid: a bad %-escape or invalid UTF-8");
        assertThat(uploadTo(PATH + "?x=a+b%C3%A9", owner.key(), Part.file("statement.pdf", file(PDF, 100))).status())
                .isEqualTo(200);
        assertThat(storedUploadsOf(owner)).isEqualTo(1);
    }

    @Test
    void aFieldSentAsAFileIsABadRequest() {
        Response response = upload(owner.key(), Part.file("statement.pdf", file(PDF, 100)),
                new Part("purpose", "purpose.txt", "text/plain",
                        "settlement-evidence".getBytes(StandardCharsets.UTF_8)));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.message()).isEqualTo("purpose has the wrong type or format");
        assertThat(storedUploadsOf(owner)).isZero();
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
                .as("this endpoint takes multipart/form-data, not the JSON the other endpoints' 415 names")
                .doesNotContain("application/json")
                .contains("multipart/form-data");
        // A type the write rules refuse as well (a wildcard, JSON in Latin-1): still the endpoint's own type.
        for (String contentType : List.of("*/*", "application/json; charset=ISO-8859-1")) {
            Response refused = api.postRaw(PATH, owner.key(), contentType, "{}");
            assertThat(refused.status()).as(contentType + " " + refused).isEqualTo(415);
            assertThat(refused.message()).as(contentType).isEqualTo("content type must be multipart/form-data");
        }
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
    void aFieldOrAFileSentTwiceIsABadRequestAndNothingIsStored() {
        // Taken as they came, two purposes were stored joined ("a,b") and a second file was dropped unsaid.
        assertRefused(upload(owner.key(), Part.file("statement.pdf", file(PDF, 100)), Part.field("purpose", "a"),
                Part.field("purpose", "b")), 400, "purpose must be sent once");
        assertRefused(upload(owner.key(), Part.file("one.pdf", file(PDF, 100)), Part.file("two.pdf", file(PDF, 200))),
                400, "file must be sent once");
        assertThat(storedUploadsOf(owner)).isZero();
        // One purpose holding a comma is one purpose.
        Response commas = upload(owner.key(), Part.file("statement.pdf", file(PDF, 100)),
                Part.field("purpose", "evidence, March"));
        assertThat(commas.status()).as(commas.toString()).isEqualTo(200);
        assertThat(commas.text("purpose")).isEqualTo("evidence, March");
    }

    /** Tomcat reads bytes that are no UTF-8 as U+FFFD, where a query or a JSON body with them is refused. */
    @Test
    void aPurposeThatIsNotUtf8IsABadRequestAndAFileNameLosesWhatIsNot() {
        assertRefused(upload(owner.key(), Part.file("statement.pdf", file(PDF, 100)),
                new Part("purpose", null, null, new byte[] {'x', (byte) 0xFF, 'y'})), 400, "purpose must be UTF-8 text");
        assertThat(storedUploadsOf(owner)).isZero();
        Response named = upload(owner.key(),
                Part.file("a.pdf\"; filename*=UTF-8''%FF%FEb.pdf; x=\"", file(PDF, 100)));
        assertThat(named.status()).as(named.toString()).isEqualTo(200);
        assertThat(named.text("fileName")).isEqualTo("b.pdf");
    }

    /** Tomcat's limit of the fields other than the file, together (2 MB): not the file's FILE_TOO_LARGE. */
    @Test
    void fieldsOverTheFormLimitAre413NotFileTooLarge() {
        byte[] note = "a".repeat(2 * 1024 * 1024 + 1).getBytes(StandardCharsets.US_ASCII);
        assertRefused(upload(owner.key(), Part.file("statement.pdf", file(PDF, 100)), new Part("note", null, null, note)),
                413, "an upload's fields other than file must not exceed 2097152 bytes");
        assertThat(storedUploadsOf(owner)).isZero();
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

    /** A browser sends a line break in a name as %0D%0A; sent as is, it ends the part's header inside the name. */
    @Test
    void aFileNameCutByALineBreakKeepsWhatCameBeforeIt() {
        byte[] pdf = file(PDF, 100);
        Response response = uploadFile(owner.key(), "statement\r\nX-Injected: 1.pdf", pdf);
        assertUploaded(response, "statement", "application/pdf", pdf);

        // A name's own quotes, escaped in the header, stay.
        Response quoted = uploadFile(owner.key(), "\\\"final\\\" statement.pdf", pdf);
        assertUploaded(quoted, "\"final\" statement.pdf", "application/pdf", pdf);
    }

    @Test
    void aLongFileNameKeepsItsLast255CharactersAndItsExtension() {
        byte[] pdf = file(PDF, 100);
        String name = "n".repeat(2000) + ".pdf";

        Response response = uploadFile(owner.key(), name, pdf);

        assertUploaded(response, name.substring(name.length() - 255), "application/pdf", pdf);
    }

    /** Characters, not UTF-16 units: an emoji across the cut is kept whole or left out whole, never split. */
    @Test
    void aLongFileNameIsCutBetweenCharacters() {
        byte[] pdf = file(PDF, 100);
        String emoji = "\uD83D\uDCC4";
        String name = emoji.repeat(300) + ".pdf";

        Response response = uploadFile(owner.key(), name, pdf);

        assertUploaded(response, emoji.repeat(251) + ".pdf", "application/pdf", pdf);
    }

    /** Tomcat's limits on a part's headers and on the number of parts are not about the file's size. */
    @Test
    void partHeadersOverTheirLimitAndTooManyPartsAreBadRequestsNotFilesTooLarge() {
        Response longHeaders = uploadFile(owner.key(), "n".repeat(9000) + ".pdf", file(PDF, 100));
        assertThat(longHeaders.status()).as(longHeaders.toString()).isEqualTo(400);
        assertThat(longHeaders.message()).contains("8 KB");

        Part[] parts = new Part[60];
        parts[0] = Part.file("statement.pdf", file(PDF, 100));
        for (int i = 1; i < parts.length; i++) {
            parts[i] = Part.field("extra" + i, "x");
        }
        Response tooManyParts = upload(owner.key(), parts);
        assertThat(tooManyParts.status()).as(tooManyParts.toString()).isEqualTo(400);
        assertThat(tooManyParts.message()).contains("50 parts");

        assertThat(storedUploadsOf(owner)).isZero();
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
}
