package com.bankaccounts.platform.ratelimit;

import com.bankaccounts.platform.web.ErrorPages;
import com.bankaccounts.platform.web.ErrorResponses;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

    /**
     * After the request log (so the 429 has its id and its access line), before the security chain: on the API, and
     * on the admin console's sign-in, which takes the admin key as well.
     */
    @Bean
    public FilterRegistrationBean<AddressRateLimitFilter> addressRateLimitFilter(RateLimits limits,
                                                                                 ErrorResponses errors,
                                                                                 List<ErrorPages> pages) {
        FilterRegistrationBean<AddressRateLimitFilter> registration =
                new FilterRegistrationBean<>(new AddressRateLimitFilter(limits, errors, pages));
        registration.addUrlPatterns("/api/*", "/admin/login");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
