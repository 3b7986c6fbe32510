package com.bankaccounts.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which form posts the pages' chains let through to the CSRF check, and which they refuse at once. */
class SameOriginFilterTest {

    private final SameOriginFilter filter = new SameOriginFilter((request, response, denied) -> response.setStatus(403));

    private int post(String site, String origin) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/sandbox/consent");
        request.setScheme("http");
        request.setServerName("localhost");
        request.setServerPort(8080);
        if (site != null) {
            request.addHeader("Sec-Fetch-Site", site);
        }
        if (origin != null) {
            request.addHeader("Origin", origin);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return chain.getRequest() == null ? response.getStatus() : 200;
    }

    @Test
    void aBrowsersOwnFormPassesEvenWithAnOpaqueOriginUnderNoReferrer() throws Exception {
        assertThat(post("same-origin", "null")).isEqualTo(200);
        assertThat(post("same-origin", "http://localhost:8080")).isEqualTo(200);
    }

    @Test
    void anotherSiteIsRefused() throws Exception {
        assertThat(post("cross-site", "https://evil.example")).isEqualTo(403);
        assertThat(post("same-site", "http://other.localhost:8080")).isEqualTo(403);
        assertThat(post("none", null)).isEqualTo(403);
        assertThat(post(null, "https://evil.example")).isEqualTo(403);
        assertThat(post(null, "null")).isEqualTo(403);
    }

    @Test
    void withoutEitherHeaderTheClientIsNotABrowserAndTheTokenDecides() throws Exception {
        assertThat(post(null, null)).isEqualTo(200);
        assertThat(post(null, "http://localhost:8080")).isEqualTo(200);
    }

    @Test
    void readingIsNeverRefused() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/sandbox/consent");
        request.addHeader("Sec-Fetch-Site", "cross-site");
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isNotNull();
    }
}
