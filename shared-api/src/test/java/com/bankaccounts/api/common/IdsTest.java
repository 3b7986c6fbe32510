package com.bankaccounts.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdsTest {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    @Test
    void encodesAsTheBigIntegerBase58ItReplaced() {
        Random random = new Random(7);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 10_000; i++) {
            random.nextBytes(bytes);
            assertThat(Ids.encode(bytes)).isEqualTo(byBigInteger(bytes));
        }
    }

    @Test
    void encodesTheExtremes() {
        byte[] zeros = new byte[16];
        byte[] ones = new byte[16];
        Arrays.fill(ones, (byte) 0xff);
        assertThat(Ids.encode(zeros)).isEqualTo("1111111111111111111111");
        assertThat(Ids.encode(ones)).isEqualTo(byBigInteger(ones)).hasSize(22);
    }

    @Test
    void newIdsAreWellFormedAndDistinct() {
        String first = Ids.newId();
        assertThat(Ids.isWellFormed(first)).isTrue();
        assertThat(Ids.newId()).isNotEqualTo(first);
    }

    private static String byBigInteger(byte[] bytes) {
        BigInteger value = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(58);
        char[] out = new char[22];
        for (int i = 21; i >= 0; i--) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            value = qr[0];
        }
        return new String(out);
    }
}
