package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.testing.ApiClient.Response;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading uploads: metadata and content for the owner and the admin; others find nothing. */
class MediaUploadReadingApiTest extends MediaUploadsApiSupport {

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
                .as("a name outside ISO-8859-1 goes as filename*=UTF-8''...: without it Tomcat drops the whole "
                        + "header as invalid, and the download is no longer an attachment")
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
