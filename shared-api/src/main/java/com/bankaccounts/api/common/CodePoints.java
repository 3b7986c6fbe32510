package com.bankaccounts.api.common;

/**
 * Lengths in characters as the API states them and PostgreSQL counts them: Unicode code points, where Java's
 * {@code length()} counts UTF-16 units (an emoji is two). Cutting by units could also split a character in half,
 * leaving a lone surrogate that cannot be written as UTF-8.
 */
public final class CodePoints {

    private CodePoints() {
    }

    public static int count(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The first {@code max} characters, or the whole text when it is no longer. */
    public static String first(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int characters = count(text);
        return characters <= max ? text : text.substring(0, text.offsetByCodePoints(0, max));
    }

    /** The last {@code max} characters, or the whole text when it is no longer. */
    public static String last(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int characters = count(text);
        return characters <= max ? text : text.substring(text.offsetByCodePoints(0, characters - max));
    }
}
