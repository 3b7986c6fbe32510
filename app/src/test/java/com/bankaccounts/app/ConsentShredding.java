package com.bankaccounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bankaccounts.platform.crypto.ConsentTokens;
import com.bankaccounts.platform.crypto.TokenCipher;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads refresh token ciphertexts out of the event store, and checks that no key the server holds opens them. */
final class ConsentShredding {

    private static final Pattern ENVELOPE = Pattern.compile("k1:([1-9A-HJ-NP-Za-km-z]+):(v1:[A-Za-z0-9+/=]+)");

    private ConsentShredding() {
    }

    /** The envelope ciphertexts in the stored events of an aggregate. */
    static List<String> ciphertextsInEvents(JdbcClient jdbc, String aggregateId) {
        List<String> found = new ArrayList<>();
        for (String payload : jdbc.sql("""
                        SELECT convert_from(payload, 'UTF8') FROM domain_event_entry
                        WHERE aggregate_identifier = ? ORDER BY sequence_number""")
                .param(aggregateId).query(String.class).list()) {
            Matcher matcher = ENVELOPE.matcher(payload);
            while (matcher.find()) {
                found.add(matcher.group());
            }
        }
        return found;
    }

    /** Neither the envelope's own lookup, nor the server key, nor any data key still stored opens the ciphertext. */
    static void assertUnreadable(JdbcClient jdbc, ConsentTokens tokens, String ciphertext) {
        Matcher matcher = ENVELOPE.matcher(ciphertext);
        assertThat(matcher.matches()).as(ciphertext).isTrue();
        assertThat(tokens.decrypt(ciphertext)).as("its data key is gone").isEmpty();
        String inner = matcher.group(2);
        TokenCipher server = new TokenCipher(Base64.getDecoder().decode(ApiTestSupport.TOKEN_KEY));
        assertThatThrownBy(() -> server.decrypt(inner)).as("the server key").isInstanceOf(IllegalStateException.class);
        List<String> keys = jdbc.sql("SELECT encrypted_key FROM consent_data_keys").query(String.class).list();
        for (String key : keys) {
            TokenCipher dataKey = new TokenCipher(Base64.getDecoder().decode(server.decrypt(key)));
            assertThatThrownBy(() -> dataKey.decrypt(inner)).isInstanceOf(IllegalStateException.class);
        }
    }

    static void assertReadable(ConsentTokens tokens, String ciphertext, String token) {
        assertThat(tokens.decrypt(ciphertext)).contains(token);
    }
}
