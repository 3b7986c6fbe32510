package com.bankaccounts.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each thread reuses its cipher: every value still gets its own IV, and a failed decryption spoils nothing after it. */
class TokenCipherTest {

    private final TokenCipher cipher = new TokenCipher(new byte[32]);

    @Test
    void theSameValueEncryptsDifferentlyEachTimeAndDecryptsBack() {
        String first = cipher.encrypt("refresh-token");
        String second = cipher.encrypt("refresh-token");
        assertThat(first).isNotEqualTo(second).startsWith("v1:");
        assertThat(cipher.decrypt(first)).isEqualTo("refresh-token");
        assertThat(cipher.decrypt(second)).isEqualTo("refresh-token");
    }

    @Test
    void aTamperedValueIsRefusedAndTheNextOneStillDecrypts() {
        String sealed = cipher.encrypt("refresh-token");
        char last = sealed.charAt(sealed.length() - 3);
        String tampered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A')
                + sealed.substring(sealed.length() - 2);
        assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(IllegalStateException.class);
        assertThat(cipher.decrypt(sealed)).isEqualTo("refresh-token");
        assertThat(cipher.decrypt(cipher.encrypt("next"))).isEqualTo("next");
    }

    @Test
    void threadsEncryptAndDecryptAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = IntStream.range(0, 64).<Callable<Boolean>>mapToObj(i -> () -> {
                String value = "token-" + i;
                return value.equals(cipher.decrypt(cipher.encrypt(value)));
            }).toList();
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
