-- What a payment consent's top ups are held to, on the command side: its terms, when it was approved (its periods
-- count from then) and when it expires; its row is locked while a top up under it is decided.
ALTER TABLE approval_registry ADD COLUMN approved_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE approval_registry ADD COLUMN consent_period VARCHAR(20);
ALTER TABLE approval_registry ADD COLUMN consent_total_amount BIGINT;
ALTER TABLE approval_registry ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
UPDATE approval_registry SET approved_at = updated_at WHERE status = 'approved';

-- The sum of a payment consent's top ups per period, raised only while it stays within the total (a conditional
-- UPDATE in the top up's own transaction), so the limit holds exactly under parallel requests on any number of nodes.
CREATE TABLE payment_consent_usage (
    approval_id  VARCHAR(32)              NOT NULL,
    period_start TIMESTAMP WITH TIME ZONE NOT NULL,
    used_amount  BIGINT                   NOT NULL,
    PRIMARY KEY (approval_id, period_start)
);

-- Query side: each top up made under a payment consent, by period, for the approval's current period usage.
CREATE TABLE payment_consent_usage_view (
    funds_transfer_id VARCHAR(32)              NOT NULL PRIMARY KEY,
    approval_id       VARCHAR(32)              NOT NULL,
    period_start      TIMESTAMP WITH TIME ZONE NOT NULL,
    amount            BIGINT                   NOT NULL
);
CREATE INDEX ix_payment_consent_usage_view ON payment_consent_usage_view (approval_id, period_start);
ALTER TABLE approval_view ADD COLUMN approved_at TIMESTAMP WITH TIME ZONE;
UPDATE approval_view SET approved_at = modified_at WHERE status = 'approved';
