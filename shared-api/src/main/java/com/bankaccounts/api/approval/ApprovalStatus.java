package com.bankaccounts.api.approval;

/**
 * The approval state machine (enforced by the Approval aggregate):
 * <pre>
 * request (settlement)         -> created
 * request (account-/payment-consent) -> pending
 * accept   created | pending   -> approved
 * decline  created | pending   -> declined
 * complete approved            -> done
 * revoke   approved (account-/payment-consent) -> revoked
 * expire   approved (account-/payment-consent) -> expired
 * </pre>
 * {@code created} and {@code pending} await review; {@code approved}, {@code declined} and {@code done} have been
 * reviewed. A consent ends with {@code done}, {@code revoked} or {@code expired}.
 */
public enum ApprovalStatus {
    CREATED("created"),
    PENDING("pending"),
    APPROVED("approved"),
    DECLINED("declined"),
    DONE("done"),
    REVOKED("revoked"),
    EXPIRED("expired");

    private final String value;

    ApprovalStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public boolean awaitsReview() {
        return this == CREATED || this == PENDING;
    }

    /** A consent in this status has ended (completed, withdrawn or expired): its refresh token is shredded. */
    public boolean endsConsent() {
        return this == DONE || this == REVOKED || this == EXPIRED;
    }
}
