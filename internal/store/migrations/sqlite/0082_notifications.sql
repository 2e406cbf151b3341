-- Notices (package notify): a reminder, a report returned or approved, or
-- another module's, to every user of a unit (user_id NULL) or to one
-- user. Written in the transaction of the event they tell of.
CREATE TABLE notifications (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    user_id INTEGER REFERENCES users(id),
    title   TEXT NOT NULL,
    body    TEXT NOT NULL DEFAULT '',
    link    TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL DEFAULT '',
    at      TIMESTAMP NOT NULL,
    -- 1 once e-mailed (or once the mail job judged it too old to send):
    -- the outbox the mail job reads, so a notice is mailed after its
    -- transaction commits, once, by one server.
    mailed  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_unit ON notifications(unit_id, at);
CREATE INDEX notifications_unmailed ON notifications(mailed, id);

-- Which user has read which notice: a unit's notice is read by each of
-- its users on their own.
CREATE TABLE notification_reads (
    notification_id INTEGER NOT NULL REFERENCES notifications(id),
    user_id         INTEGER NOT NULL REFERENCES users(id),
    at              TIMESTAMP NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);

-- A user's e-mail address, for notices by mail; empty: none.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
