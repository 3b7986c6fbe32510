package com.bankaccounts.command.mediaupload;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.springframework.http.ContentDisposition;

public record MediaUpload(String id, String accountId, String fileName, String mimeType, long size, String sha256,
                          String purpose, Instant createdAt, String createdBy) {

    /**
     * The file's Content-Disposition ({@code ContentDisposition.attachment()} or {@code inline()}), its name in UTF-8
     * (RFC 5987's {@code filename*}): Tomcat drops a header with a character outside ISO-8859-1.
     */
    public String contentDisposition(ContentDisposition.Builder disposition) {
        return disposition.filename(fileName, StandardCharsets.UTF_8).build().toString();
    }
}
