-- API tokens get a life: a name people recognise (label, already there),
-- the last characters of the token to tell two apart, an expiry, and a
-- revocation that is kept rather than deleted, so the list and the audit
-- log can say who revoked which token when. A revoked or expired token
-- opens nothing, and nothing brings it back: re-enabling a disabled user
-- leaves the tokens the disabling revoked revoked.
ALTER TABLE api_tokens ADD COLUMN hint TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMP;
ALTER TABLE api_tokens ADD COLUMN revoked_by TEXT NOT NULL DEFAULT '';
CREATE INDEX api_tokens_user ON api_tokens(user_id);
