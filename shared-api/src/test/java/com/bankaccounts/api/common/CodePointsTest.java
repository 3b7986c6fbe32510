package com.bankaccounts.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodePointsTest {

    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void countsCharactersNotUtf16Units() {
        assertThat(CodePoints.count("abc")).isEqualTo(3);
        assertThat(CodePoints.count(EMOJI.repeat(3))).isEqualTo(3);
    }

    @Test
    void cutsBetweenCharactersNeverInsideOne() {
        String text = "a" + EMOJI.repeat(3);
        assertThat(CodePoints.first(text, 2)).isEqualTo("a" + EMOJI);
        assertThat(CodePoints.last(text, 2)).isEqualTo(EMOJI.repeat(2));
        assertThat(CodePoints.last(EMOJI.repeat(3) + "a", 2)).isEqualTo(EMOJI + "a");
        // No longer than the limit in characters, though longer in UTF-16 units: kept whole.
        assertThat(CodePoints.first(text, 4)).isEqualTo(text);
        assertThat(CodePoints.last(text, 4)).isEqualTo(text);
        assertThat(CodePoints.first("abc", 5)).isEqualTo("abc");
    }
}
