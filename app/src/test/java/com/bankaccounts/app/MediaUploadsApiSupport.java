package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;

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
import tools.jackson.databind.JsonNode;

/** What the media upload API tests share: an owner, multipart bodies, binary downloads, the file signatures. */
abstract class MediaUploadsApiSupport extends ApiTestSupport {

    protected static final String PATH = "/api/media-uploads";
    protected static final int FIVE_MB = 5 * 1024 * 1024;
    protected static final byte[] PDF = {'%', 'P', 'D', 'F', '-'};
    protected static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    protected static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    protected static final byte[] ELF = {0x7F, 'E', 'L', 'F'};
    protected static final byte[] WINDOWS_EXECUTABLE = {'M', 'Z'};
    protected static final Set<String> DOCUMENTED_FIELDS =
            Set.of("id", "accountId", "fileName", "mimeType", "size", "sha256", "createdAt", "createdBy");

    /** The shared client reads bodies as text; file content has to come back byte for byte. */
    protected final HttpClient binary = HttpClient.newHttpClient();

    protected TestAccount owner;

    @BeforeEach
    void anOwner() {
        owner = newAccount(true);
    }

    /** One part of a multipart/form-data body; a null file name makes it a plain form field. */
    protected record Part(String name, String fileName, String contentType, byte[] content) {

        static Part file(String fileName, byte[] content) {
            return new Part("file", fileName, "application/octet-stream", content);
        }

        static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    protected static byte[] multipart(String boundary, Part... parts) {
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

    protected Response upload(String key, Part... parts) {
        return uploadTo(PATH, key, parts);
    }

    protected Response uploadTo(String path, String key, Part... parts) {
        String boundary = "----boundary" + UUID.randomUUID().toString().replace("-", "");
        return api.send(api.request(path, key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, parts)))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .build());
    }

    protected Response uploadFile(String key, String fileName, byte[] content) {
        return upload(key, Part.file(fileName, content));
    }

    protected HttpResponse<byte[]> content(String id, String key) {
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
    protected static byte[] file(byte[] signature, int size) {
        byte[] content = new byte[size];
        new Random(size * 31L + signature[0]).nextBytes(content);
        System.arraycopy(signature, 0, content, 0, signature.length);
        return content;
    }

    protected static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected long storedUploads() {
        return jdbc.sql("SELECT COUNT(*) FROM media_uploads").query(Long.class).single();
    }

    protected long storedUploadsOf(TestAccount account) {
        return jdbc.sql("SELECT COUNT(*) FROM media_uploads WHERE account_id = ?").param(account.id())
                .query(Long.class).single();
    }

    protected String ownerCrn() {
        return "crn:" + owner.id() + ":api-key:MyApiKey";
    }

    protected void assertUploaded(Response response, String fileName, String mimeType, byte[] content) {
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
}
