package com.bankaccounts.platform.web;

import com.bankaccounts.api.common.CodePoints;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Size;

/**
 * {@link Size} on a string counts characters (code points), as the API's messages ("at most 200 characters"), the
 * OpenAPI document's {@code maxLength} (JSON Schema counts characters) and PostgreSQL's {@code varchar(n)} do. Bean
 * Validation's own counts UTF-16 units, which refused 101 emoji against a limit of 200. Hibernate Validator picks
 * this one for {@code String}, the more specific type, over its own for {@code CharSequence}.
 */
public class SizeInCharacters implements ConstraintValidator<Size, String> {

    private int min;
    private int max;

    @Override
    public void initialize(Size size) {
        this.min = size.min();
        this.max = size.max();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        int characters = CodePoints.count(value);
        return characters >= min && characters <= max;
    }
}
