-- Petitions filed on the public page, by address (a hash of it), for the
-- per-address rate limit: every server sharing the database counts the
-- same attempts.
CREATE TABLE case_public_attempts (
    address TEXT NOT NULL,
    at      TIMESTAMP NOT NULL
);
CREATE INDEX case_public_attempts_address ON case_public_attempts(address, at);
