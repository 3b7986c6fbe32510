-- When a code exchange's grant was kept: one not applied within its lifetime fails its intent and is revoked at the
-- provider (AbandonedGrants). Grants kept before count from now.
ALTER TABLE connection_intent_registry ADD COLUMN grant_kept_at TIMESTAMP WITH TIME ZONE;
UPDATE connection_intent_registry SET grant_kept_at = CURRENT_TIMESTAMP WHERE kept_grant IS NOT NULL;
