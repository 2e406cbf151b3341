-- Web sign-in sessions. They live in the database, not in a server's
-- memory, so several app servers behind one address share them. Only a
-- hash of the cookie's token is kept: a copied database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    -- Every form posts this back; a page on another site cannot read it.
    csrf       TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Sign-in attempts, for the rate limit per user name and per address. In
-- the database so that a guesser spread over several servers is still
-- counted once.
CREATE TABLE login_attempts (
    at       TIMESTAMP NOT NULL,
    username TEXT NOT NULL,
    address  TEXT NOT NULL,
    ok       INTEGER NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts(username, at);
CREATE INDEX login_attempts_address ON login_attempts(address, at);
