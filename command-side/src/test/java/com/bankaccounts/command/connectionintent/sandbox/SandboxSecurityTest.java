package com.bankaccounts.command.connectionintent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where the sandbox pages' forms may go: this server, but for a consent page that leads to a redirect URI. */
class SandboxSecurityTest {

    @Test
    void pagesSendTheirFormsOnlyToThisServer() {
        assertThat(SandboxSecurity.CONTENT_SECURITY_POLICY).contains("form-action 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(SandboxSecurity.consentPagePolicy(null)).as("its answer is a page of this server")
                .isEqualTo(SandboxSecurity.CONTENT_SECURITY_POLICY);
    }

    @Test
    void aConsentPageLeadingToARedirectUriLeavesItsFormsFree() {
        assertThat(SandboxSecurity.consentPagePolicy("https://api.shop.example/bank/return"))
                .doesNotContain("form-action").contains("frame-ancestors 'none'").contains("default-src 'none'");
    }
}
