package store

import (
	"context"
	"database/sql"
	"errors"

	"mattran/internal/audit"
	"mattran/internal/period"
	"mattran/internal/report"
	"mattran/internal/unit"
)

// ReportTexts returns what the unit wrote into its report of the program
// for p; the zero Texts when it wrote nothing yet.
func (s *Store) ReportTexts(ctx context.Context, prog string, u unit.Unit, p period.Period) (report.Texts, error) {
	return loadReportTexts(ctx, s.DB, prog, u, p)
}

func loadReportTexts(ctx context.Context, q queryer, prog string, u unit.Unit, p period.Period) (report.Texts, error) {
	var t report.Texts
	err := q.QueryRowContext(ctx, `SELECT number, signed_on, signer, signer_title, highlights, shortcomings, causes, next_tasks, updated_at, updated_by
		FROM report_texts WHERE program = $1 AND unit_id = $2 AND period = $3`, prog, u.ID, p.String()).
		Scan(&t.Number, &t.SignedOn, &t.Signer, &t.SignerTitle, &t.Highlights, &t.Shortcomings, &t.Causes, &t.NextTasks, &t.UpdatedAt, &t.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return report.Texts{}, nil
	}
	return t, err
}

// PutReportTexts stores what the unit wrote into its report, audited
// with what it replaced.
func (tx *Tx) PutReportTexts(ctx context.Context, a audit.Actor, prog string, u unit.Unit, p period.Period, t report.Texts) error {
	before, err := loadReportTexts(ctx, tx.c, prog, u, p)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO report_texts (program, unit_id, period, number, signed_on, signer, signer_title, highlights, shortcomings, causes, next_tasks, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (program, unit_id, period) DO UPDATE SET number = excluded.number, signed_on = excluded.signed_on, signer = excluded.signer,
			signer_title = excluded.signer_title, highlights = excluded.highlights, shortcomings = excluded.shortcomings, causes = excluded.causes,
			next_tasks = excluded.next_tasks, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		prog, u.ID, p.String(), t.Number, t.SignedOn, t.Signer, t.SignerTitle, t.Highlights, t.Shortcomings, t.Causes, t.NextTasks, tx.now.UTC(), a.Name); err != nil {
		return err
	}
	state := func(t report.Texts) map[string]string {
		return map[string]string{"number": t.Number, "signed_on": t.SignedOn, "signer": t.Signer, "signer_title": t.SignerTitle,
			"highlights": t.Highlights, "shortcomings": t.Shortcomings, "causes": t.Causes, "next_tasks": t.NextTasks}
	}
	return tx.Audit(ctx, a, "update", "report_texts", prog+"/"+u.Code+"/"+p.String(), state(before), state(t))
}
