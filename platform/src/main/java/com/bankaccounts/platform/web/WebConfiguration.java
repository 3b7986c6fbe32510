package com.bankaccounts.platform.web;

import jakarta.servlet.DispatcherType;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.hibernate.validator.cfg.ConstraintMapping;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.servlet.filter.OrderedRequestContextFilter;
import org.springframework.boot.validation.autoconfigure.ValidationConfigurationCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.xml.Jaxb2RootElementHttpMessageConverter;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.RequestContextFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    /** Right after the application's {@code @RequestMapping}s (0). */
    static final int ACTUATOR_HANDLER_ORDER = 1;
    /** Where the pages are: the sandbox bank and the admin console. */
    static final String[] PAGE_URL_PATTERNS = {"/sandbox/*", "/admin/*"};

    @Bean
    public WebMvcRegistrations pathIndexedHandlerMapping() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new PathIndexedHandlerMapping();
            }
        };
    }

    /** {@code @Size} on a string counts characters, not UTF-16 units ({@link SizeInCharacters}). */
    @Bean
    public static ValidationConfigurationCustomizer sizesInCharacters() {
        return configuration -> {
            if (configuration instanceof HibernateValidatorConfiguration hibernate) {
                ConstraintMapping mapping = hibernate.createConstraintMapping();
                mapping.constraintDefinition(Size.class).includeExistingValidators(true)
                        .validatedBy(SizeInCharacters.class);
                hibernate.addMapping(mapping);
            }
        };
    }

    /**
     * Boot asks the actuator's handler mapping before the application's (order -100), so every API request first went
     * through the actuator's endpoints, matching each one's produces condition against the request's Accept header:
     * 4% of a GET's CPU. No controller here maps a path under {@code /actuator}, so asking the actuator right after the
     * application's controllers (order 0) answers every path as before.
     */
    @Bean
    public static BeanPostProcessor actuatorAfterApplicationHandlers() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof AbstractWebMvcEndpointHandlerMapping actuator) {
                    actuator.setOrder(ACTUATOR_HANDLER_ORDER);
                }
                return bean;
            }
        };
    }

    /**
     * Thymeleaf's auto-configuration puts this filter in front of every request once a resource chain is on (the
     * webjars of Swagger UI turn it on). It rewrites links to static resources in pages; only the pages can have such
     * links, and on the API it wrapped every request for nothing.
     */
    @Bean
    public FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> registration =
                new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.addUrlPatterns(PAGE_URL_PATTERNS);
        return registration;
    }

    /**
     * Boot's {@code RequestContextFilter} exposes the request to code that runs in filters before Spring MVC's servlet,
     * which sets the same thread-locals itself; no filter here reads them. This bean stands in for Boot's, and its
     * disabled registration keeps it out of the chain: two thread-locals set and reset less per request.
     */
    @Bean
    public RequestContextFilter requestContextFilter() {
        return new OrderedRequestContextFilter();
    }

    @Bean
    public FilterRegistrationBean<RequestContextFilter> requestContextFilterOff(RequestContextFilter filter) {
        FilterRegistrationBean<RequestContextFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    /**
     * No XML: the API reads and writes JSON only. Spring adds a JAXB converter whenever the JAXB API is on the class
     * path (a library brings it), and content negotiation asked it about every answer: 1.1% of a GET's CPU.
     */
    @Bean
    public ServerHttpMessageConvertersCustomizer noXmlConverter() {
        return converters -> converters.configureMessageConvertersList(list ->
                list.removeIf(converter -> converter instanceof Jaxb2RootElementHttpMessageConverter));
    }

    @Bean
    public FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${app.max-json-body-size:1MB}") DataSize limit, ErrorResponses errors) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(limit.toBytes(), errors));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<ParameterRulesFilter> parameterRulesFilter(
            ErrorResponses errors, @Value("${server.tomcat.max-http-form-post-size:2MB}") DataSize maxFormSize) {
        FilterRegistrationBean<ParameterRulesFilter> registration =
                new FilterRegistrationBean<>(new ParameterRulesFilter(errors, maxFormSize));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }
}
