package com.bankaccounts.command.connectionintent;

import com.bankaccounts.api.connectionintent.AuthorizeConnectionIntentCommand;
import com.bankaccounts.platform.axon.AxonJdbcConfiguration.NonRetryableCommands;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ConnectionIntentConfiguration {

    /** A retry would exchange the code again, which the provider refuses: authorizations are not retried. */
    @Bean
    public NonRetryableCommands authorizationsAreNotRetried() {
        return command -> command.getPayload() instanceof AuthorizeConnectionIntentCommand;
    }
}
