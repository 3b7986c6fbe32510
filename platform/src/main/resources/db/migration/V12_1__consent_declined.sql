-- The sandbox bank's consent link once the user denied it (or the client reported the provider's access_denied):
-- it shows that it was declined and cannot be decided again.
ALTER TABLE sandbox_consents ADD COLUMN declined BOOLEAN NOT NULL DEFAULT FALSE;
