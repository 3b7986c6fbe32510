package com.bankaccounts.command.mediaupload;

import com.bankaccounts.api.common.BusinessRuleException;
import com.bankaccounts.api.common.CodePoints;
import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.api.common.Ids;
import com.bankaccounts.api.common.NotFoundException;
import com.bankaccounts.api.common.Sha256;
import com.bankaccounts.api.common.Timestamps;
import com.bankaccounts.platform.openapi.ErrorCodes;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ApiException;
import com.bankaccounts.platform.web.NameText;
import com.bankaccounts.platform.web.StrictUtf8;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

/** Evidence files (PDF, PNG, JPEG) owned by the caller's account. */
@RestController
public class MediaUploadController {

    /**
     * What a file name loses: what a name may not hold ({@link NameText}), the bidirectional embeddings and isolates
     * too, which a file name has no use for, and U+FFFD, what the container reads bytes that are no UTF-8 as.
     */
    private static final Pattern FILE_NAME_REFUSED =
            Pattern.compile("[" + NameText.REFUSED + "\\u202A-\\u202C\\u2066-\\u2069\\uFFFD]");

    private final MediaUploadRepository uploads;
    private final long maxSize;

    public MediaUploadController(MediaUploadRepository uploads,
                                 @Value("${app.media-uploads.max-size:5MB}") DataSize maxSize) {
        this.uploads = uploads;
        this.maxSize = maxSize.toBytes();
    }

    public record MediaUploadResponse(String id, String accountId, String fileName, String mimeType, long size,
                                      String sha256, String purpose, String createdAt, String createdBy) {
        static MediaUploadResponse of(MediaUpload upload) {
            return new MediaUploadResponse(upload.id(), upload.accountId(), upload.fileName(), upload.mimeType(),
                    upload.size(), upload.sha256(), upload.purpose(), Timestamps.format(upload.createdAt()),
                    upload.createdBy());
        }
    }

    @ErrorCodes(forbidden = {ErrorCode.FILE_TOO_LARGE, ErrorCode.FILE_TYPE_INVALID})
    @PostMapping(path = "/api/media-uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public MediaUploadResponse upload(Caller caller, @RequestParam(name = "file", required = false) MultipartFile file,
                                      @RequestParam(name = "purpose", required = false) String purpose,
                                      HttpServletRequest request) throws IOException, ServletException {
        if (caller.accountId() == null) {
            throw ApiException.badRequest("uploads belong to an account: use the account's key");
        }
        if (file == null || file.isEmpty()) {
            throw ApiException.badRequest("file is required");
        }
        // Sent twice, a field would be taken joined ("a,b") and a second file dropped without a word.
        MultipartHttpServletRequest parts = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (parts != null && parts.getFiles("file").size() > 1) {
            throw ApiException.badRequest("file must be sent once");
        }
        String[] purposes = request.getParameterValues("purpose");
        if (purposes != null && purposes.length > 1) {
            throw ApiException.badRequest("purpose must be sent once");
        }
        if (purpose != null && (CodePoints.count(purpose) > 100 || purpose.indexOf('\0') >= 0)) {
            throw ApiException.badRequest("purpose must be at most 100 characters, without NUL");
        }
        // Tomcat decodes a part's bytes leniently, invalid UTF-8 as U+FFFD: refused as the query's
        // parameters are (at most 100 characters, so the first 1,024 bytes are all of it).
        if (purpose != null && !isUtf8(request.getPart("purpose"))) {
            throw ApiException.badRequest("purpose must be UTF-8 text");
        }
        if (file.getSize() > maxSize) {
            throw new BusinessRuleException(ErrorCode.FILE_TOO_LARGE);
        }
        byte[] content = file.getBytes();
        String mimeType = FileTypes.mimeTypeOf(content)
                .orElseThrow(() -> new BusinessRuleException(ErrorCode.FILE_TYPE_INVALID));
        MediaUpload upload = new MediaUpload(Ids.newId(), caller.accountId(), fileName(file.getOriginalFilename()),
                mimeType, content.length, sha256(content), purpose, Instant.now().truncatedTo(ChronoUnit.MICROS),
                caller.crn());
        uploads.insert(upload, content);
        return MediaUploadResponse.of(upload);
    }

    @ErrorCodes(notFound = ErrorCode.MEDIA_UPLOAD_NOT_FOUND)
    @GetMapping("/api/media-uploads/{mediaUploadId}")
    public MediaUploadResponse get(Caller caller, @PathVariable String mediaUploadId) {
        return MediaUploadResponse.of(visible(caller, mediaUploadId));
    }

    @ErrorCodes(notFound = ErrorCode.MEDIA_UPLOAD_NOT_FOUND)
    @ApiResponse(responseCode = "200", description = "The file, as uploaded", content = {
            @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary"))})
    @GetMapping("/api/media-uploads/{mediaUploadId}/content")
    public ResponseEntity<byte[]> content(Caller caller, @PathVariable String mediaUploadId) {
        MediaUpload upload = visible(caller, mediaUploadId);
        byte[] content = uploads.contentOf(upload.id())
                .orElseThrow(() -> new NotFoundException(ErrorCode.MEDIA_UPLOAD_NOT_FOUND));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(upload.mimeType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, upload.contentDisposition(ContentDisposition.attachment()))
                .header("X-Content-Type-Options", "nosniff")
                .body(content);
    }

    private MediaUpload visible(Caller caller, String mediaUploadId) {
        return uploads.findById(mediaUploadId)
                .filter(upload -> caller.canAccess(upload.accountId()))
                .orElseThrow(() -> new NotFoundException(ErrorCode.MEDIA_UPLOAD_NOT_FOUND));
    }

    private static boolean isUtf8(Part part) throws IOException {
        if (part == null) {
            return true;
        }
        try (InputStream in = part.getInputStream()) {
            StrictUtf8.decode(in.readNBytes(1024));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String fileName(String original) {
        if (original == null || original.isBlank()) {
            return "upload";
        }
        String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1);
        name = FILE_NAME_REFUSED.matcher(name).replaceAll("").trim();
        // A raw line break inside the quoted name ends the part's header there (Tomcat), and Spring's parser of what
        // is left keeps the unclosed quote.
        if (name.startsWith("\"") && name.indexOf('"', 1) < 0) {
            name = name.substring(1).trim();
        }
        if (name.isEmpty()) {
            return "upload";
        }
        return CodePoints.last(name, 255);
    }

    private static String sha256(byte[] content) {
        return Sha256.hex(content);
    }
}
