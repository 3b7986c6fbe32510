package com.bankaccounts.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * "Not blank" is one rule: Hibernate Validator's {@code @NotBlank} reads it with {@link String#isBlank}. A body is
 * UTF-8 exactly when Java's strict decoder reads it.
 */
class RequestBodyRulesTest {

    @Test
    void aBodyIsReadExactlyWhenItIsUtf8() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int j = 0; j < bytes.length; j++) {
                // Mostly the bytes around UTF-8's edges, never NUL (refused though UTF-8: no JSON text has one).
                bytes[j] = (byte) (random.nextBoolean() ? 0x7F + random.nextInt(0x81) : 1 + random.nextInt(0xFF));
            }
            assertThat(readsAsUtf8(bytes)).as(HexFormat.of().formatHex(bytes)).isEqualTo(isUtf8(bytes));
        }
        for (int codePoint = 1; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            if (!Character.isSurrogate((char) codePoint) || codePoint > 0xFFFF) {
                byte[] bytes = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
                assertThat(readsAsUtf8(bytes)).as("U+%04X", codePoint).isTrue();
            }
        }
        assertThat(readsAsUtf8(new byte[] {'{', 0, '}'})).isFalse();
    }

    /** A byte skipped is still checked, and none can be read again: what was checked is what is read. */
    @Test
    void nothingIsSkippedOrReadAgainUnchecked() throws IOException {
        byte[] cut = {'{', (byte) 0xC3, 'A'};
        try (InputStream in = new RequestBodyRules.Utf8Only(new ByteArrayInputStream(cut))) {
            assertThat(in.markSupported()).isFalse();
            assertThat(in.read()).isEqualTo('{');
            assertThatThrownBy(() -> in.skip(2))
                    .isInstanceOf(RequestBodyRules.NotUtf8Exception.class);
        }
        try (InputStream in = new RequestBodyRules.Utf8Only(new ByteArrayInputStream(new byte[] {(byte) 0xC0, 'A'}))) {
            assertThatThrownBy(() -> in.skip(2))
                    .isInstanceOf(RequestBodyRules.NotUtf8Exception.class);
        }
    }

    private static boolean readsAsUtf8(byte[] bytes) throws IOException {
        // A byte at a time and in a buffer: a character may be split between two reads.
        boolean whole = read(bytes, bytes.length);
        assertThat(read(bytes, 1)).isEqualTo(whole);
        assertThat(readByteByByte(bytes)).isEqualTo(whole);
        return whole;
    }

    private static boolean readByteByByte(byte[] bytes) throws IOException {
        try (InputStream in = new RequestBodyRules.Utf8Only(new ByteArrayInputStream(bytes))) {
            while (in.read() >= 0) {
                // reading on
            }
            return true;
        } catch (RequestBodyRules.NotUtf8Exception e) {
            return false;
        }
    }

    private static boolean read(byte[] bytes, int chunk) throws IOException {
        try (InputStream in = new RequestBodyRules.Utf8Only(new ByteArrayInputStream(bytes))) {
            byte[] buffer = new byte[chunk];
            while (in.read(buffer, 0, chunk) >= 0) {
                // reading on
            }
            return true;
        } catch (RequestBodyRules.NotUtf8Exception e) {
            return false;
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void theNonWhiteSpaceClassIsEveryCodePointThatIsBlankDoesNotCountAsWhiteSpace() {
        Pattern nonWhitespace = Pattern.compile(RequestBodyRules.NON_WHITESPACE);
        List<String> disagreeing = new ArrayList<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String one = Character.toString(codePoint);
            if (nonWhitespace.matcher(one).matches() == one.isBlank()) {
                disagreeing.add(String.format("U+%04X", codePoint));
            }
        }
        assertThat(disagreeing).isEmpty();
    }

    @Test
    void anOptionalFieldIsBlankExactlyWhenARequiredOneWouldBe() {
        Pattern notBlank = Pattern.compile(RequestBodyRules.NOT_BLANK);
        for (String value : List.of("", " ", "\t\r\n", "\u3000\u2028\u001c", "\u00a0", "\u0001", "a", "\n\nb\n",
                " x ", "\uD83C\uDFE6")) {
            assertThat(notBlank.matcher(value).matches()).as("[%s]", value).isEqualTo(!value.isBlank());
        }
    }
}
