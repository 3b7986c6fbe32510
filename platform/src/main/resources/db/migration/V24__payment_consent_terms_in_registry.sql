-- Payment consents approved before V12_4 had their terms only in the read model (since V6). V12_4 gave the command
-- side, which holds top ups to them, columns for the terms but left them empty for those consents, so their top ups
-- were held to no total, by day, and to no expiry. Copied here from the read model, for the rows the command side has
-- no terms for. Their periods still count from the approved_at V12_4 set: the usage counted since is keyed by it.
UPDATE approval_registry r
SET consent_period = v.consent_period,
    consent_total_amount = v.consent_total_amount,
    expires_at = coalesce(r.expires_at, v.expires_at)
FROM approval_view v
WHERE v.id = r.approval_id
  AND r.type = 'payment-consent'
  AND r.consent_period IS NULL AND r.consent_total_amount IS NULL
  AND (v.consent_period IS NOT NULL OR v.consent_total_amount IS NOT NULL OR v.expires_at IS NOT NULL);
