package com.bankaccounts.platform.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link JsonErrorReportValve} where Tomcat's HTML error page valve would be: on the host; and refuses HTTP/0.9
 * in the context ({@link Http09RefusalValve}).
 */
@Configuration(proxyBeanMethods = false)
public class TomcatErrorConfiguration {

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReportValve() {
        return factory -> {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    // The host adds a valve of this class when it starts, instead of its HTML one.
                    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                }
            });
            factory.addContextValves(new Http09RefusalValve());
        };
    }
}
