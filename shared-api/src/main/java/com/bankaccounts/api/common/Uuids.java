package com.bankaccounts.api.common;

import java.util.UUID;

/** UUIDs made from random bits, whichever generator drew them. */
public final class Uuids {

    private Uuids() {
    }

    /** The version 4 (random) UUID of these bits, with the version and variant bits {@link UUID#randomUUID()} sets. */
    public static UUID version4(long mostSignificantBits, long leastSignificantBits) {
        return new UUID((mostSignificantBits & ~0xF000L) | 0x4000L,
                (leastSignificantBits & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }
}
