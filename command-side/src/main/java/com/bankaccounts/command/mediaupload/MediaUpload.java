package com.bankaccounts.command.mediaupload;

import java.time.Instant;

public record MediaUpload(String id, String accountId, String fileName, String mimeType, long size, String sha256,
                          String purpose, Instant createdAt, String createdBy) {
}
