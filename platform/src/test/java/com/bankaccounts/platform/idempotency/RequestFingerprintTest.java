package com.bankaccounts.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which requests count as the same for an idempotency key. */
class RequestFingerprintTest {

    private static final String SETTLE = "/api/funds-transfers/WRhAxxWpTKb5U7pXyxQjjY/settle";

    @Test
    void noBodyAndAnEmptyObjectAreOneRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", SETTLE);
        String none = RequestFingerprint.of(request, RequestFingerprint.read(new byte[0], false));

        assertThat(RequestFingerprint.of(request, RequestFingerprint.read(bytes("{}"), true))).isEqualTo(none);
        assertThat(RequestFingerprint.of(request, RequestFingerprint.read(bytes("{\"idempotencyKey\":\"k\"}"), true)))
                .isEqualTo(none);
        assertThat(RequestFingerprint.of(request, RequestFingerprint.read(bytes("{\"a\":1}"), true)))
                .isNotEqualTo(none);
    }

    @Test
    void aRequestWithoutABodyStillMatchesWhatEarlierVersionsKeptForIt() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", SETTLE);
        // As versions before no body counted as {} wrote it: method, path, no query, then 'B' and the (no) bytes.
        MessageDigest earlier = MessageDigest.getInstance("SHA-256");
        text(earlier, "POST");
        text(earlier, SETTLE);
        earlier.update(ByteBuffer.allocate(Long.BYTES).putLong(-1).array());
        earlier.update((byte) 'B');

        assertThat(RequestFingerprint.legacyOf(request, RequestFingerprint.read(new byte[0], false)))
                .isEqualTo(HexFormat.of().formatHex(earlier.digest()));
        assertThat(RequestFingerprint.legacyOf(request, RequestFingerprint.read(bytes("{}"), true))).isNull();
    }

    private static void text(MessageDigest digest, String value) {
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(value.length()).array());
        digest.update(value.getBytes(StandardCharsets.UTF_16BE));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
