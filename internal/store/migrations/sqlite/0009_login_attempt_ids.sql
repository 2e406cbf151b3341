-- Sign-in attempts get an id: an attempt is written as failed before the
-- password is checked, and marked a success after, so that attempts made
-- in parallel count each other. The old rows are only a rate limit's
-- memory of the last fifteen minutes; they are not kept.
DROP TABLE login_attempts;
CREATE TABLE login_attempts (
    id       INTEGER PRIMARY KEY,
    at       TIMESTAMP NOT NULL,
    username TEXT NOT NULL,
    address  TEXT NOT NULL,
    ok       INTEGER NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts(username, at);
CREATE INDEX login_attempts_address ON login_attempts(address, at);
