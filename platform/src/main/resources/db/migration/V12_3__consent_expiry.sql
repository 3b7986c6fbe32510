-- When a consent expires: an account-information consent some time after its approval, a payment consent when its
-- intent said (expiresAt). Null: it does not expire (settlements, consents from before).
ALTER TABLE approval_view ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE connection_intent_view ADD COLUMN consent_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE sandbox_consents ADD COLUMN payment_expires_at TIMESTAMP WITH TIME ZONE;
