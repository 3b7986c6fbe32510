package com.bankaccounts.command.connectionintent.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {

    @Test
    void theChallengeIsTheRfc7636AppendixBExample() {
        assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void randomTokensAreUrlSafe43CharacterVerifiers() {
        String token = Pkce.randomToken();

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Pkce.randomToken()).isNotEqualTo(token);
    }
}
