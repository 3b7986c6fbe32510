package com.bankaccounts.platform.openapi;

import com.bankaccounts.api.common.ErrorCode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error codes an {@code /api} endpoint can answer, each under its status, for the OpenAPI document
 * ({@link ErrorCodesOperationCustomizer} turns them into responses with an example per code). Every {@code /api}
 * endpoint carries one: OpenApiDocumentTest fails for a mapped endpoint without it.
 *
 * <p>List only what this endpoint decides; the answers every endpoint shares (400 bad input, 401 API_KEY_REQUIRED /
 * API_KEY_INVALID, 503 SERVICE_UNAVAILABLE, 500 INTERNAL_ERROR; on a POST 409 CONCURRENT_MODIFICATION / CONFLICT; with
 * a JSON body 413 and 415) are added by {@link ErrorCodesOperationCustomizer#COMMON}. An admin-only endpoint lists
 * {@code ADMIN_KEY_REQUIRED} under {@link #forbidden()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ErrorCodes {

    /** 403: a business rule refused it (BusinessRuleException), or an admin-only endpoint (ADMIN_KEY_REQUIRED). */
    ErrorCode[] forbidden() default {};

    /** 404: an unknown resource, or someone else's (NotFoundException). */
    ErrorCode[] notFound() default {};

    /** 409: another request holds what this one needs; retry. */
    ErrorCode[] conflict() default {};

    /** 422: well-formed but refused as it stands. */
    ErrorCode[] unprocessable() default {};

    /** 502: an upstream party answered wrongly. */
    ErrorCode[] badGateway() default {};

    /** 503: an upstream party is unreachable; retry later. */
    ErrorCode[] serviceUnavailable() default {};
}
