package com.bankaccounts.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's mapping of requests to controller methods, which tries only the mappings whose path starts with the
 * request's first two segments (and those whose first two segments are not literal). Spring tries a path with a
 * variable in it, such as {@code /api/bank-accounts/{id}}, against every mapping of the application, a fifth of a
 * GET's CPU in the JVM. Whenever the candidates do not give exactly one match (none, several, or a path with escapes
 * or matrix parameters), Spring's own lookup decides, with its ranking, its CORS preflight answers and its 404, 405,
 * 406 and 415 answers; a single match is the one Spring finds (and answers as it does, preflight or not), as a
 * mapping outside the candidates cannot match the path.
 */
public class PathIndexedHandlerMapping extends RequestMappingHandlerMapping {

    private volatile Index index;

    @Override
    protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
        List<Candidate> candidates = caseSensitive() ? index().candidates(lookupPath) : null;
        if (candidates == null) {
            return super.lookupHandlerMethod(lookupPath, request);
        }
        RequestMappingInfo matched = null;
        HandlerMethod handler = null;
        for (Candidate candidate : candidates) {
            RequestMappingInfo match = getMatchingMapping(candidate.mapping(), request);
            if (match != null) {
                if (matched != null) {
                    return super.lookupHandlerMethod(lookupPath, request);
                }
                matched = match;
                handler = candidate.handler();
            }
        }
        if (matched == null) {
            return super.lookupHandlerMethod(lookupPath, request);
        }
        request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handler);
        handleMatch(matched, lookupPath, request);
        return handler;
    }

    @Override
    protected void registerHandlerMethod(Object handler, Method method, RequestMappingInfo mapping) {
        super.registerHandlerMethod(handler, method, mapping);
        index = null;
    }

    @Override
    public void registerMapping(RequestMappingInfo mapping, Object handler, Method method) {
        super.registerMapping(mapping, handler, method);
        index = null;
    }

    @Override
    public void unregisterMapping(RequestMappingInfo mapping) {
        super.unregisterMapping(mapping);
        index = null;
    }

    /** Spring's default; a path that matched regardless of case could match a mapping outside its candidates. */
    private boolean caseSensitive() {
        return getPatternParser() != null && getPatternParser().isCaseSensitive();
    }

    private Index index() {
        Index current = index;
        if (current == null) {
            current = Index.of(getHandlerMethods());
            index = current;
        }
        return current;
    }

    /** A mapping and its controller method. */
    record Candidate(RequestMappingInfo mapping, HandlerMethod handler) {
    }

    /** The mappings by the literal first two segments of their paths, and those that any path may match. */
    record Index(Map<String, List<Candidate>> byStart, List<Candidate> anyStart) {

        static Index of(Map<RequestMappingInfo, HandlerMethod> handlers) {
            Map<String, Set<Candidate>> byStart = new HashMap<>();
            List<Candidate> anyStart = new ArrayList<>();
            handlers.forEach((mapping, handler) -> {
                Candidate candidate = new Candidate(mapping, handler);
                List<String> starts = starts(mapping);
                if (starts == null) {
                    anyStart.add(candidate);
                } else {
                    starts.forEach(start ->
                            byStart.computeIfAbsent(start, key -> new LinkedHashSet<>()).add(candidate));
                }
            });
            Map<String, List<Candidate>> candidates = new HashMap<>();
            byStart.forEach((start, mappings) -> {
                List<Candidate> all = new ArrayList<>(mappings);
                all.addAll(anyStart);
                candidates.put(start, List.copyOf(all));
            });
            return new Index(Map.copyOf(candidates), List.copyOf(anyStart));
        }

        /** The literal first two segments of each of the mapping's paths, or null when one of them has none. */
        private static List<String> starts(RequestMappingInfo mapping) {
            PathPatternsRequestCondition paths = mapping.getPathPatternsCondition();
            if (paths == null || paths.getPatterns().isEmpty()) {
                return null;
            }
            List<String> starts = new ArrayList<>();
            for (PathPattern pattern : paths.getPatterns()) {
                String start = start(pattern.getPatternString());
                if (start == null || start.contains("{") || start.contains("*") || start.contains("?")) {
                    return null;
                }
                starts.add(start);
            }
            return starts;
        }

        /** The mappings a path may match; null to leave it to Spring (escapes, matrix parameters, short paths). */
        List<Candidate> candidates(String lookupPath) {
            if (lookupPath.indexOf('%') >= 0 || lookupPath.indexOf(';') >= 0) {
                return null;
            }
            String start = start(lookupPath);
            return start == null ? null : byStart.getOrDefault(start, anyStart);
        }

        /** "api/bank-accounts" of "/api/bank-accounts/{id}"; null for a path of fewer than two segments. */
        static String start(String path) {
            if (!path.startsWith("/")) {
                return null;
            }
            int firstEnd = path.indexOf('/', 1);
            if (firstEnd <= 1) {
                return null; // one segment, or an empty first one
            }
            int secondEnd = path.indexOf('/', firstEnd + 1);
            if (secondEnd < 0) {
                secondEnd = path.length();
            }
            return secondEnd > firstEnd + 1 ? path.substring(1, secondEnd) : null;
        }
    }
}
