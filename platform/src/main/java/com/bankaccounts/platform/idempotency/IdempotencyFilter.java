package com.bankaccounts.platform.idempotency;

import com.bankaccounts.api.common.ErrorCode;
import com.bankaccounts.platform.idempotency.IdempotencyKeys.StoredAnswer;
import com.bankaccounts.platform.security.Caller;
import com.bankaccounts.platform.web.ErrorResponses;
import com.bankaccounts.platform.web.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Idempotent retries of {@code POST /api/**}: a key (the {@code Idempotency-Key} header, or an {@code idempotencyKey}
 * field in a JSON body) is answered once, and the same request with the same key again gets that first answer back
 * ({@code Idempotent-Replayed: true}) without running again.
 * <p>
 * The request runs in one transaction that holds the key's lock (another request with the key meanwhile: 409
 * IDEMPOTENCY_KEY_IN_PROGRESS), and the answer is stored in it before it commits, so the answer and the effect (events,
 * registries, read models written by subscribing processors, uploads) commit together or not at all, on any number of
 * nodes. Commands run in savepoints inside it, so a refusal (with the event it records, if any) is kept as well.
 * Answers the client may want to retry with the same key (400, 401, 406, 409, 413, 415, 429, 5xx) are not kept, and
 * their transaction rolls back.
 * <p>
 * Endpoints that call a third party and must not hold a transaction meanwhile (the connection-intent authorizations)
 * run without the enclosing transaction: a row claims the key instead of the lock ({@link IdempotencyKeys#claim}, held
 * for {@link #CLAIM_HOLD} at most), and the answer replaces it. (So do the admin operations, which commit in
 * transactions of their own.)
 * <p>
 * Runs after Spring Security (the key's scope is the caller's account, the admin key a scope of its own).
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final String ADMIN_SCOPE = ":admin";
    /** What {@link #wellFormed} takes, in the header or in the body. */
    private static final String KEY_RULE = " must be 1 to 255 printable ASCII characters, no space at either end";
    private static final String BAD_KEY = HEADER + KEY_RULE;
    private static final String BAD_BODY_KEY = RequestFingerprint.BODY_FIELD + KEY_RULE;
    /** How long a request run without the key's lock holds it at most: far past a provider's two calls. */
    static final Duration CLAIM_HOLD = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotencyKeys keys;
    private final TransactionTemplate transactions;
    private final ErrorResponses errors;
    private final Duration ttl;
    private final Predicate<String> withoutTransaction;

    /** @param withoutTransaction paths (request URIs) run without the enclosing transaction */
    public IdempotencyFilter(IdempotencyKeys keys, TransactionTemplate transactions, ErrorResponses errors,
                             Duration ttl, Predicate<String> withoutTransaction) {
        this.keys = keys;
        this.transactions = transactions;
        this.errors = errors;
        this.ttl = ttl;
        this.withoutTransaction = withoutTransaction;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = Caller.current();
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        List<String> headerKeys = Collections.list(request.getHeaders(HEADER));
        if (headerKeys.size() > 1) {
            errors.write(response, HttpStatus.BAD_REQUEST, "Idempotency-Key must be given once");
            return;
        }
        String headerKey = headerKeys.isEmpty() ? null : headerKeys.get(0);
        if (headerKey != null && !wellFormed(headerKey)) {
            errors.write(response, HttpStatus.BAD_REQUEST, BAD_KEY);
            return;
        }
        String scope = caller.get().admin() ? ADMIN_SCOPE : caller.get().accountId();

        if (isMultipart(request)) {
            if (headerKey == null) {
                chain.doFilter(request, response);
                return;
            }
            Collection<Part> parts;
            try {
                parts = request.getParts();
            } catch (IOException | ServletException | RuntimeException e) {
                // Too large or malformed: the endpoint meets the same failure and refuses it; nothing to keep.
                chain.doFilter(request, response);
                return;
            }
            idempotent(request, response, chain, scope, headerKey, RequestFingerprint.ofMultipart(request, parts),
                    null);
            return;
        }

        boolean json = isJson(request);
        if (headerKey == null && !json) {
            chain.doFilter(request, response);
            return;
        }
        byte[] raw;
        try {
            raw = request.getInputStream().readAllBytes();
        } catch (PayloadTooLargeException e) {
            errors.write(response, HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
            return;
        }
        HttpServletRequest buffered = new BufferedBodyRequest(request, raw);
        if (headerKey == null && !RequestFingerprint.mayHoldBodyKey(raw)) {
            chain.doFilter(buffered, response);
            return;
        }
        RequestFingerprint.Body body = RequestFingerprint.read(raw, json);
        String key = headerKey;
        if (body.key().present()) {
            String bodyKey = body.key().value();
            if (bodyKey == null) {
                // A number, an object or null: named as any field of the wrong type is (null runs no request
                // without the key its client may have meant to send).
                errors.write(response, HttpStatus.BAD_REQUEST,
                        RequestFingerprint.BODY_FIELD + " must be a JSON string");
                return;
            }
            if (!wellFormed(bodyKey)) {
                errors.write(response, HttpStatus.BAD_REQUEST, BAD_BODY_KEY);
                return;
            }
            if (headerKey != null && !headerKey.equals(bodyKey)) {
                errors.write(response, HttpStatus.BAD_REQUEST,
                        "Idempotency-Key and idempotencyKey must be the same when both are given");
                return;
            }
            key = bodyKey;
        }
        if (key == null) {
            chain.doFilter(buffered, response);
            return;
        }
        idempotent(buffered, response, chain, scope, key, RequestFingerprint.of(request, body),
                RequestFingerprint.legacyOf(request, body));
    }

    /** @param legacyFingerprint what an earlier version made of this request, if it differs (an answer kept by it) */
    private void idempotent(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String scope,
                            String key, String fingerprint, String legacyFingerprint)
            throws IOException, ServletException {
        // A key already answered is answered at once, without its lock: parallel retries all get the replay.
        Optional<StoredAnswer> answered = keys.find(scope, key);
        if (answered.isPresent()) {
            answer(Outcome.stored(answered.get(), fingerprint, legacyFingerprint), response, null);
            return;
        }
        if (withoutTransaction.test(request.getRequestURI())) {
            idempotentWithoutTransaction(request, response, chain, scope, key, fingerprint, legacyFingerprint);
            return;
        }
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        Outcome outcome;
        try {
            outcome = transactions.execute(transaction -> {
                if (!keys.tryLock(scope, key)) {
                    return Outcome.IN_PROGRESS;
                }
                // Again under the lock: the first request may have committed since.
                Optional<StoredAnswer> stored = keys.find(scope, key);
                if (stored.isPresent()) {
                    return Outcome.stored(stored.get(), fingerprint, legacyFingerprint);
                }
                proceed(chain, request, answer);
                Optional<StoredAnswer> kept = kept(request, answer, fingerprint);
                if (kept.isPresent()) {
                    if (!keys.save(scope, key, kept.get(), ttl)) {
                        transaction.setRollbackOnly();
                        return Outcome.IN_PROGRESS;
                    }
                } else {
                    transaction.setRollbackOnly();
                }
                return Outcome.ANSWERED;
            });
        } catch (ChainFailure failure) {
            failure.rethrow();
            throw failure;
        }
        answer(outcome, response, answer);
    }

    /**
     * Under a claim row instead of the lock: a second request with the key meanwhile is answered as under the lock
     * (409, or 422 for another body) instead of running too.
     */
    private void idempotentWithoutTransaction(HttpServletRequest request, HttpServletResponse response,
                                              FilterChain chain, String scope, String key, String fingerprint,
                                              String legacyFingerprint) throws IOException, ServletException {
        Optional<OffsetDateTime> claim = keys.claim(scope, key, fingerprint, CLAIM_HOLD);
        if (claim.isEmpty()) {
            // Claimed by another request, or answered since the look-up.
            answer(keys.find(scope, key).map(stored -> Outcome.stored(stored, fingerprint, legacyFingerprint))
                    .orElse(Outcome.IN_PROGRESS), response, null);
            return;
        }
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        boolean answered = false;
        try {
            chain.doFilter(request, answer);
            Optional<StoredAnswer> kept = kept(request, answer, fingerprint);
            if (kept.isPresent()) {
                keys.answerClaim(scope, key, claim.get(), kept.get(), ttl);
                answered = true;
            }
        } finally {
            if (!answered) {
                release(scope, key, claim.get());
            }
        }
        answer.copyBodyToResponse();
    }

    /** A failed release must not hide the request's own outcome: the claim ends with its hold anyway. */
    private void release(String scope, String key, OffsetDateTime claim) {
        try {
            keys.release(scope, key, claim);
        } catch (RuntimeException e) {
            log.warn("Could not release an idempotency key's claim: {}", e.getClass().getSimpleName());
        }
    }

    private void answer(Outcome outcome, HttpServletResponse response, ContentCachingResponseWrapper answer)
            throws IOException {
        switch (outcome.kind()) {
            case IN_PROGRESS -> errors.write(response, HttpStatus.CONFLICT, ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS);
            case REUSED -> errors.write(response, HttpStatus.UNPROCESSABLE_CONTENT, ErrorCode.IDEMPOTENCY_KEY_REUSED);
            case REPLAY -> {
                StoredAnswer stored = outcome.stored();
                response.setStatus(stored.status());
                if (stored.contentType() != null) {
                    response.setContentType(stored.contentType());
                }
                response.setHeader(REPLAYED_HEADER, "true");
                response.setContentLength(stored.body().length);
                response.getOutputStream().write(stored.body());
            }
            case ANSWERED -> answer.copyBodyToResponse();
        }
    }

    /**
     * The answer to keep, if the endpoint reached a decision: a success, or a business refusal (403) or unknown
     * resource (404) with its error body, from an endpoint (a path that matches none, say a misspelt one, is not
     * a decision: the client fixes it and retries with the key). The rest is left for the client to retry.
     */
    private static Optional<StoredAnswer> kept(HttpServletRequest request, ContentCachingResponseWrapper answer,
                                               String fingerprint) {
        int status = answer.getStatus();
        byte[] body = answer.getContentAsByteArray();
        boolean decided = (status >= 200 && status < 300)
                || ((status == 403 || status == 404) && body.length > 0
                        && request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)
                                instanceof HandlerMethod);
        return decided ? Optional.of(new StoredAnswer(fingerprint, status, answer.getContentType(), body))
                : Optional.empty();
    }

    private static void proceed(FilterChain chain, HttpServletRequest request, HttpServletResponse response) {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException e) {
            throw new ChainFailure(e);
        }
    }

    /**
     * A header's value has no space at either end (HTTP trims it), so a body's key may not either: the same key sent
     * either way is the same key.
     */
    static boolean wellFormed(String key) {
        if (key.isEmpty() || key.length() > 255 || key.charAt(0) == ' ' || key.charAt(key.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String contentType = request.getContentType();
        return contentType != null && contentType.toLowerCase().startsWith(MediaType.MULTIPART_FORM_DATA_VALUE);
    }

    private static boolean isJson(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype()
                    && (MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private record Outcome(Kind kind, StoredAnswer stored) {

        enum Kind { IN_PROGRESS, REUSED, REPLAY, ANSWERED }

        static final Outcome IN_PROGRESS = new Outcome(Kind.IN_PROGRESS, null);
        static final Outcome ANSWERED = new Outcome(Kind.ANSWERED, null);

        static Outcome stored(StoredAnswer stored, String fingerprint, String legacyFingerprint) {
            if (!stored.fingerprint().equals(fingerprint) && !stored.fingerprint().equals(legacyFingerprint)) {
                return new Outcome(Kind.REUSED, null);
            }
            return stored.status() == IdempotencyKeys.IN_PROGRESS ? IN_PROGRESS : new Outcome(Kind.REPLAY, stored);
        }
    }

    /** Carries the chain's checked exceptions out of the transaction callback (which rolls back on it). */
    private static final class ChainFailure extends RuntimeException {

        ChainFailure(Exception cause) {
            super(cause);
        }

        void rethrow() throws IOException, ServletException {
            if (getCause() instanceof IOException io) {
                throw io;
            }
            throw (ServletException) getCause();
        }
    }
}
