package store

import (
	"context"
	"database/sql"

	"mattran/internal/audit"
	"mattran/internal/period"
	"mattran/internal/unit"
)

// UnlockPeriod removes the lock LockPeriod put on a unit and period, so its
// values can change again: an approved report is reopened, for instance to
// correct a figure found wrong after approval. Only that exact lock is
// removed; a lock on a unit above or on a longer period still holds. The
// reopening is audited, with who had locked it, since it undoes an approval.
func (s *Store) UnlockPeriod(ctx context.Context, a audit.Actor, u unit.Unit, p period.Period) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.UnlockPeriod(ctx, a, u, p) })
}

// UnlockPeriod is Store.UnlockPeriod inside the transaction.
func (tx *Tx) UnlockPeriod(ctx context.Context, a audit.Actor, u unit.Unit, p period.Period) error {
	var lockedBy string
	err := tx.queryRow(ctx, `SELECT locked_by FROM period_locks WHERE unit_id = $1 AND period = $2`, u.ID, p.String()).Scan(&lockedBy)
	if err == sql.ErrNoRows {
		return notFound("số liệu %s của %s chưa bị khóa", p.Label(), u.Name)
	}
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM period_locks WHERE unit_id = $1 AND period = $2`, u.ID, p.String()); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "unlock", "period", u.Code+"@"+u.ValidFrom+"/"+p.String(),
		map[string]string{"unit": u.Code, "period": p.String(), "locked_by": lockedBy}, nil)
}
