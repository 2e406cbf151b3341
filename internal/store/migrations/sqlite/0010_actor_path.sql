-- The actor's unit at the time of the change: a subtree's audit log shows
-- what its users did while they belonged to it, not what a user moved in
-- later did elsewhere.
ALTER TABLE audit_log ADD COLUMN actor_path TEXT NOT NULL DEFAULT '';
ALTER TABLE value_changes ADD COLUMN actor_path TEXT NOT NULL DEFAULT '';
