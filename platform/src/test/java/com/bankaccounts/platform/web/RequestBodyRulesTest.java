package com.bankaccounts.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** "Not blank" is one rule: Hibernate Validator's {@code @NotBlank} reads it with {@link String#isBlank}. */
class RequestBodyRulesTest {

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
