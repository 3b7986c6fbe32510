package com.bankaccounts.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.context.support.StaticWebApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/** The indexed lookup picks what Spring's own picks, for matches, near misses and errors alike. */
class PathIndexedHandlerMappingTest {

    /** Not a {@code @RestController}: the application's tests would scan it in (this jar is on their class path). */
    static class Things {
        @GetMapping("/api/things/{id}")
        String get(@PathVariable String id) {
            return id;
        }

        @GetMapping("/api/things/special")
        String special() {
            return "special";
        }

        @DeleteMapping("/api/things/{id}")
        String delete(@PathVariable String id) {
            return id;
        }

        @PostMapping(path = "/api/things", consumes = "application/json")
        String create() {
            return "created";
        }

        @GetMapping(path = "/api/things", produces = "application/json")
        String list() {
            return "[]";
        }

        @GetMapping(path = "/api/things", params = "page")
        String page() {
            return "[]";
        }

        @GetMapping("/api/{kind}/count")
        String count(@PathVariable String kind) {
            return kind;
        }

        /** For /api/things/latest Spring prefers this one (longer) to /api/things/{id}. */
        @GetMapping("/api/{kind}/latest")
        String latest(@PathVariable String kind) {
            return kind;
        }

        @GetMapping({"/pages/things", "/api/things/{id}/alias"})
        String twoPaths() {
            return "alias";
        }

        @GetMapping("/files/**")
        String files() {
            return "file";
        }

        @GetMapping("/health")
        String health() {
            return "up";
        }

        @RequestMapping(path = "/api/any/{id}", method = {RequestMethod.GET, RequestMethod.PUT})
        String any(@PathVariable String id) {
            return id;
        }
    }

    private static final RequestMappingHandlerMapping INDEXED = mapping(new PathIndexedHandlerMapping() {
        @Override
        protected boolean isHandler(Class<?> beanType) {
            return beanType == Things.class;
        }
    });
    private static final RequestMappingHandlerMapping SPRING = mapping(new RequestMappingHandlerMapping() {
        @Override
        protected boolean isHandler(Class<?> beanType) {
            return beanType == Things.class;
        }
    });

    static Stream<Arguments> requests() {
        List<String> paths = List.of("/api/things/42", "/api/things/special", "/api/things", "/api/things/",
                "/api/things/42/alias", "/api/things/latest", "/api/widgets/count", "/api/things/count", "/pages/things",
                "/files/a/b", "/files", "/health", "/api/any/7", "/api/unknown/7", "/api", "/", "/API/things/42",
                "/api/things/4%32", "/api/things;v=1/42", "/api//things", "/api/things/42/");
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PREFLIGHT");
        return paths.stream().flatMap(path -> methods.stream().flatMap(method -> Stream.of(
                Arguments.of(method, path, null, null),
                Arguments.of(method, path, "application/json", "application/json"),
                Arguments.of(method, path, "text/plain", "text/html"))));
    }

    @ParameterizedTest(name = "{0} {1} {2} accept {3}")
    @MethodSource("requests")
    void picksWhatSpringPicks(String method, String path, String contentType, String accept) {
        assertThat(outcome(INDEXED, method, path, contentType, accept))
                .isEqualTo(outcome(SPRING, method, path, contentType, accept));
    }

    @Test
    void aPathWithAVariableIsTriedOnlyAgainstMappingsOfItsStartAndThoseOfAnyStart() {
        PathIndexedHandlerMapping.Index index = PathIndexedHandlerMapping.Index.of(INDEXED.getHandlerMethods());

        assertThat(index.candidates("/api/things/42")).extracting(PathIndexedHandlerMappingTest::handlerName)
                .containsExactlyInAnyOrder("get", "special", "delete", "create", "list", "page", "twoPaths",
                        "count", "latest", "files", "health");
        assertThat(index.candidates("/api/any/7")).extracting(PathIndexedHandlerMappingTest::handlerName)
                .containsExactlyInAnyOrder("any", "count", "latest", "files", "health");
        assertThat(index.candidates("/api/things/4%32")).isNull();
        assertThat(index.candidates("/health")).isNull();
        assertThat(PathIndexedHandlerMapping.Index.start("/api/things/{id}")).isEqualTo("api/things");
        assertThat(PathIndexedHandlerMapping.Index.start("/api/things")).isEqualTo("api/things");
        assertThat(PathIndexedHandlerMapping.Index.start("/api/")).isNull();
        assertThat(PathIndexedHandlerMapping.Index.start("/api")).isNull();
    }

    @Test
    void aSingleMatchCarriesThePathVariablesAsSpringsDoes() throws Exception {
        HttpServletRequest request = request("GET", "/api/things/42", null, null);
        HandlerExecutionChain chain = INDEXED.getHandler(request);

        assertThat(chain).isNotNull();
        assertThat(((HandlerMethod) chain.getHandler()).getMethod().getName()).isEqualTo("get");
        assertThat(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE))
                .isEqualTo(Map.of("id", "42"));
        assertThat(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE).toString())
                .isEqualTo("/api/things/{id}");
    }

    private static String handlerName(PathIndexedHandlerMapping.Candidate candidate) {
        return candidate.handler().getMethod().getName();
    }

    private static String outcome(RequestMappingHandlerMapping mapping, String method, String path,
                                  String contentType, String accept) {
        try {
            HandlerExecutionChain chain = mapping.getHandler(request(method, path, contentType, accept));
            if (chain == null) {
                return "no handler";
            }
            return chain.getHandler() instanceof HandlerMethod handler
                    ? handler.getMethod().getName() : chain.getHandler().getClass().getSimpleName();
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static MockHttpServletRequest request(String method, String path, String contentType, String accept) {
        boolean preflight = method.equals("PREFLIGHT");
        MockHttpServletRequest request = new MockHttpServletRequest(preflight ? "OPTIONS" : method, path);
        if (contentType != null) {
            request.setContentType(contentType);
        }
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        if (preflight) {
            request.addHeader("Origin", "https://example.com");
            request.addHeader("Access-Control-Request-Method", "GET");
        }
        ServletRequestPathUtils.parseAndCache(request);
        return request;
    }

    private static RequestMappingHandlerMapping mapping(RequestMappingHandlerMapping mapping) {
        StaticWebApplicationContext context = new StaticWebApplicationContext();
        context.registerSingleton("things", Things.class);
        context.refresh();
        mapping.setApplicationContext(context);
        mapping.afterPropertiesSet();
        return mapping;
    }
}
