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
 * an export or a terminal) and no bidirectional override (U+202D, U+202E), which shows the letters after it reversed:
 * "x" U+202E "gnp.exe" reads "xexe.png". Embeddings, isolates and marks stay: text copied from right-to-left scripts
 * carries them (ICU's and Android's BidiFormatter wrap it in them), and they do not reverse letters. A constraint of
 * its own rather than a {@code @Pattern}, so that it adds to a field's other pattern; the OpenAPI document merges the
 * two.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = NameText.Check.class)
public @interface NameText {

    /** The characters refused, as a regex class body: JSON Schema (ECMA-262) reads it as Java does. */
    String REFUSED = "\\x00-\\x1F\\x7F-\\x9F\\u202D\\u202E";

    String message() default "must not contain control characters or bidirectional overrides";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<NameText, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.chars().noneMatch(Check::refused);
        }

        public static boolean refused(int c) {
            return c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == 0x202D || c == 0x202E;
        }
    }
}
