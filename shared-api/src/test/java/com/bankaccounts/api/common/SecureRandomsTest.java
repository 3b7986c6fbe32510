package com.bankaccounts.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SecureRandomsTest {

    @Test
    void uuidsAreVersion4AndTheIetfVariant() {
        for (int i = 0; i < 1_000; i++) {
            UUID uuid = SecureRandoms.randomUuid();
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(UUID.fromString(uuid.toString())).isEqualTo(uuid);
        }
    }

    @Test
    void eachThreadHasItsOwnStrongGeneratorAndNoIdRepeatsAcrossThreads() throws Exception {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        Set<SecureRandom> generators = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    generators.add(SecureRandoms.current());
                    for (int i = 0; i < 10_000; i++) {
                        seen.add(SecureRandoms.randomUuid());
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(80_000);
        assertThat(generators).hasSize(8).allSatisfy(g -> assertThat(g.getAlgorithm()).isEqualTo("DRBG"));
    }
}
