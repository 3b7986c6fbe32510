-- What the sandbox bank's consent page shows: the business that asks, and for a payment consent its terms; when the
-- link was opened, so that an old link expires. Rows from before have none of these and keep working.
ALTER TABLE sandbox_consents ADD COLUMN business_name VARCHAR(200);
ALTER TABLE sandbox_consents ADD COLUMN payment_consent BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sandbox_consents ADD COLUMN payee_name VARCHAR(200);
ALTER TABLE sandbox_consents ADD COLUMN payment_period VARCHAR(20);
ALTER TABLE sandbox_consents ADD COLUMN payment_total_amount BIGINT;
ALTER TABLE sandbox_consents ADD COLUMN opened_at TIMESTAMP WITH TIME ZONE;
