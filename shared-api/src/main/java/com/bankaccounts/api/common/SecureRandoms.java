package com.bankaccounts.api.common;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * A strong random generator per thread. The JDK's default on Linux (NativePRNG, also behind
 * {@link UUID#randomUUID()}) takes one lock shared by every instance in the process; with a handful of random ids
 * per request (message ids, resource ids, request ids, IVs) request threads queued on it. A DRBG instance per
 * thread is as strong, seeded from the system's entropy, and never contended.
 */
public final class SecureRandoms {

    private static final ThreadLocal<SecureRandom> PER_THREAD = ThreadLocal.withInitial(SecureRandoms::create);

    private SecureRandoms() {
    }

    /** This thread's generator: use it on this thread only, never keep it in a field. */
    public static SecureRandom current() {
        return PER_THREAD.get();
    }

    public static void nextBytes(byte[] bytes) {
        PER_THREAD.get().nextBytes(bytes);
    }

    /** A version 4 (random) UUID, as {@link UUID#randomUUID()} makes, from this thread's generator. */
    public static UUID randomUuid() {
        byte[] bytes = new byte[16];
        nextBytes(bytes);
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (bytes[i] & 0xff);
            least = (least << 8) | (bytes[i + 8] & 0xff);
        }
        return Uuids.version4(most, least);
    }

    private static SecureRandom create() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
