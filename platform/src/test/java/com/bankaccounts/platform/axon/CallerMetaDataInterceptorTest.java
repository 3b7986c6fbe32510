package com.bankaccounts.platform.axon;

import static org.assertj.core.api.Assertions.assertThat;

import com.bankaccounts.platform.operations.RequestLogFilter;
import com.bankaccounts.platform.security.ApiKeyAuthentication;
import com.bankaccounts.platform.security.Caller;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** A command names its caller from the security context of the thread that sends it. */
class CallerMetaDataInterceptorTest {

    private final CallerMetaDataInterceptor interceptor = new CallerMetaDataInterceptor();

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
        MDC.clear();
    }

    private Object principalOf(CommandMessage<?> command) {
        return interceptor.handle(List.of(command)).apply(0, command).getMetaData().get(AxonJdbcConfiguration.PRINCIPAL);
    }

    @Test
    void theAuthenticatedCallerIsThePrincipal() {
        SecurityContextHolder.getContext().setAuthentication(ApiKeyAuthentication.of(Caller.apiKey("acc", "key")));
        assertThat(principalOf(GenericCommandMessage.asCommandMessage("command"))).isEqualTo("crn:acc:api-key:key");

        SecurityContextHolder.getContext().setAuthentication(ApiKeyAuthentication.of(Caller.platformAdmin()));
        assertThat(principalOf(GenericCommandMessage.asCommandMessage("command"))).isEqualTo(Caller.ADMIN_CRN);
    }

    @Test
    void noCallerNoPrincipal() {
        assertThat(principalOf(GenericCommandMessage.asCommandMessage("command"))).isNull();
        SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        assertThat(principalOf(GenericCommandMessage.asCommandMessage("command"))).isNull();
    }

    @Test
    void aPrincipalAlreadyNamedIsKept() {
        SecurityContextHolder.getContext().setAuthentication(ApiKeyAuthentication.of(Caller.platformAdmin()));
        CommandMessage<?> named = GenericCommandMessage.asCommandMessage("command")
                .andMetaData(Map.of(AxonJdbcConfiguration.PRINCIPAL, "crn:other:api-key:k"));
        assertThat(principalOf(named)).isEqualTo("crn:other:api-key:k");
    }

    @Test
    void theRequestsIdTravelsWithTheCommandUnlessOneIsNamed() {
        CommandMessage<?> command = GenericCommandMessage.asCommandMessage("command");
        assertThat(interceptor.handle(List.of(command)).apply(0, command).getMetaData())
                .doesNotContainKey(AxonJdbcConfiguration.REQUEST_ID);
        MDC.put(RequestLogFilter.MDC_KEY, "req-1");
        assertThat(interceptor.handle(List.of(command)).apply(0, command).getMetaData())
                .containsEntry(AxonJdbcConfiguration.REQUEST_ID, "req-1");
        CommandMessage<?> named = command.andMetaData(Map.of(AxonJdbcConfiguration.REQUEST_ID, "req-0"));
        assertThat(interceptor.handle(List.of(named)).apply(0, named).getMetaData())
                .containsEntry(AxonJdbcConfiguration.REQUEST_ID, "req-0");
    }
}
