package com.bankaccounts.platform.idempotency;

import com.bankaccounts.api.common.Sha256;
import com.bankaccounts.platform.web.IdempotencyKeyFieldAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What makes two requests "the same" for an idempotency key: method, path (with its query) and body, as a SHA-256.
 * A JSON body counts as parsed (key order and spacing do not matter; the {@code idempotencyKey} field itself is left
 * out); a multipart body by its parts' names, file names and bytes (not the boundary); any other body by its bytes.
 */
final class RequestFingerprint {

    static final String BODY_FIELD = IdempotencyKeyFieldAllowed.FIELD;

    /** Refuses a key given twice, as the endpoints' mapper does: a retry is compared as the endpoint reads it. */
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonNode EMPTY_OBJECT = JSON.createObjectNode();
    private static final byte[] BODY_FIELD_BYTES = BODY_FIELD.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNICODE_ESCAPE = "\\u".getBytes(StandardCharsets.US_ASCII);

    /** A JSON body's {@code idempotencyKey}: absent, a string, or something else (a client error). */
    record BodyKey(boolean present, String value) {
        static final BodyKey ABSENT = new BodyKey(false, null);
    }

    /** A buffered body, parsed once: its key field and its fingerprint input. */
    record Body(BodyKey key, JsonNode json, byte[] raw) {
    }

    private RequestFingerprint() {
    }

    /** Reads a buffered body: JSON parsed (if it parses), anything else kept as bytes. */
    static Body read(byte[] raw, boolean json) {
        if (!json || raw.length == 0) {
            return new Body(BodyKey.ABSENT, null, raw);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(raw);
        } catch (JacksonException e) {
            // Not JSON: the endpoint refuses it (400, not kept); compared by its bytes meanwhile.
            return new Body(BodyKey.ABSENT, null, raw);
        }
        if (tree == null || !tree.isObject() || !tree.has(BODY_FIELD)) {
            return new Body(BodyKey.ABSENT, tree, raw);
        }
        JsonNode field = tree.get(BODY_FIELD);
        return new Body(new BodyKey(true, field.isString() ? field.stringValue() : null), tree, raw);
    }

    /** Whether a key could be in this JSON body at all (a cheap scan before parsing). */
    static boolean mayHoldBodyKey(byte[] raw) {
        return indexOf(raw, BODY_FIELD_BYTES) >= 0 || indexOf(raw, UNICODE_ESCAPE) >= 0;
    }

    static String of(HttpServletRequest request, Body body) {
        MessageDigest digest = start(request);
        // No body is an empty object: an action reads none, and takes either.
        JsonNode json = body.json() != null ? body.json() : body.raw().length == 0 ? EMPTY_OBJECT : null;
        if (json != null) {
            digest.update((byte) 'J');
            canonical(json, digest, true);
        } else {
            digest.update((byte) 'B');
            digest.update(body.raw());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * What versions before no body counted as {@code {}} made of a request without one (its bytes: none), so that an
     * answer they kept is still replayed; null for any other request.
     */
    static String legacyOf(HttpServletRequest request, Body body) {
        if (body.json() != null || body.raw().length > 0) {
            return null;
        }
        MessageDigest digest = start(request);
        digest.update((byte) 'B');
        return HexFormat.of().formatHex(digest.digest());
    }

    static String ofMultipart(HttpServletRequest request, Collection<Part> parts) throws IOException {
        MessageDigest digest = start(request);
        digest.update((byte) 'M');
        for (Part part : parts) {
            text(digest, part.getName());
            text(digest, part.getSubmittedFileName());
            digest.update(longBytes(part.getSize()));
            try (InputStream content = part.getInputStream()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = content.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest start(HttpServletRequest request) {
        MessageDigest digest = Sha256.newDigest();
        text(digest, request.getMethod());
        text(digest, request.getRequestURI());
        text(digest, request.getQueryString());
        return digest;
    }

    /** Objects with their members sorted by name; every value tagged with its type, every string with its length. */
    private static void canonical(JsonNode node, MessageDigest digest, boolean top) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            if (top) {
                members.removeIf(member -> BODY_FIELD.equals(member.getKey()));
            }
            members.sort(Map.Entry.comparingByKey());
            digest.update((byte) '{');
            digest.update(longBytes(members.size()));
            for (Map.Entry<String, JsonNode> member : members) {
                text(digest, member.getKey());
                canonical(member.getValue(), digest, false);
            }
        } else if (node.isArray()) {
            digest.update((byte) '[');
            digest.update(longBytes(node.size()));
            for (JsonNode element : node) {
                canonical(element, digest, false);
            }
        } else if (node.isString()) {
            digest.update((byte) 's');
            text(digest, node.stringValue());
        } else {
            // Numbers, booleans, null: their JSON text as parsed (1.0 and 1e0 are both 1.0).
            digest.update((byte) 'v');
            text(digest, node.toString());
        }
    }

    /** A string's exact UTF-16 units (an unpaired surrogate included), after its length. */
    private static void text(MessageDigest digest, String value) {
        if (value == null) {
            digest.update(longBytes(-1));
            return;
        }
        digest.update(longBytes(value.length()));
        ByteBuffer units = ByteBuffer.allocate(value.length() * 2);
        units.asCharBuffer().put(value);
        digest.update(units);
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
