package com.bankaccounts.command.mediaupload;

import com.bankaccounts.platform.persistence.DbTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class MediaUploadRepository {

    private static final String COLUMNS = "id, account_id, file_name, mime_type, size, sha256, purpose, created_at, created_by";

    private final JdbcClient jdbc;

    public MediaUploadRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(MediaUpload upload, byte[] content) {
        jdbc.sql("INSERT INTO media_uploads (" + COLUMNS + ", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(upload.id(), upload.accountId(), upload.fileName(), upload.mimeType(), upload.size(),
                        upload.sha256(), upload.purpose(), DbTime.of(upload.createdAt()),
                        upload.createdBy(), content)
                .update();
    }

    public Optional<MediaUpload> findById(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM media_uploads WHERE id = ?")
                .param(id)
                .query((rs, row) -> new MediaUpload(rs.getString("id"), rs.getString("account_id"),
                        rs.getString("file_name"), rs.getString("mime_type"), rs.getLong("size"),
                        rs.getString("sha256"), rs.getString("purpose"),
                        DbTime.read(rs, "created_at"), rs.getString("created_by")))
                .optional();
    }

    public Optional<byte[]> contentOf(String id) {
        return jdbc.sql("SELECT content FROM media_uploads WHERE id = ?")
                .param(id)
                .query((rs, row) -> rs.getBytes("content"))
                .optional();
    }
}
