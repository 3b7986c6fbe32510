package com.bankaccounts.platform.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A name's text: no control character (C0, DEL, C1: a line break or an escape sequence carried on into a bank file,
 * an export or a terminal) and no bidirectional override or isolate (U+202A to U+202E, U+2066 to U+2069), which shows
 * the text after it reordered: "x" U+202E "gnp.exe" reads "xexe.png". A constraint of its own rather than a
 * {@code @Pattern}, so that it adds to a field's other pattern; the OpenAPI document merges the two.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = NameText.Check.class)
public @interface NameText {

    /** The characters refused, as a regex class body: JSON Schema (ECMA-262) reads it as Java does. */
    String REFUSED = "\\x00-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069";

    String message() default "must not contain control characters or bidirectional overrides";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<NameText, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.chars().noneMatch(Check::refused);
        }

        static boolean refused(int c) {
            return c <= 0x1F || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E)
                    || (c >= 0x2066 && c <= 0x2069);
        }
    }
}
