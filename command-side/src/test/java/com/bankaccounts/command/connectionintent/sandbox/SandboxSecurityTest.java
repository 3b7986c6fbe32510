package com.bankaccounts.command.connectionintent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where the sandbox pages' forms may go: this server, and from the consent page the redirect URI's origin. */
class SandboxSecurityTest {

    @Test
    void pagesSendTheirFormsOnlyToThisServer() {
        assertThat(SandboxSecurity.CONTENT_SECURITY_POLICY).contains("form-action 'self';");
        assertThat(SandboxSecurity.consentPagePolicy(null)).isEqualTo(SandboxSecurity.CONTENT_SECURITY_POLICY);
    }

    @Test
    void theConsentPageMayAlsoLeadToTheRedirectUrisOrigin() {
        assertThat(SandboxSecurity.consentPagePolicy("https://shop.example/bank/return?x=1"))
                .contains("form-action 'self' https://shop.example;").contains("frame-ancestors 'none'");
        assertThat(SandboxSecurity.consentPagePolicy("http://localhost:3000/cb"))
                .contains("form-action 'self' http://localhost:3000;");
        assertThat(SandboxSecurity.consentPagePolicy("http://[::1]:3000/cb"))
                .as("no CSP host for an IPv6 address: its scheme").contains("form-action 'self' http:;");
    }
}
