package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/evaluation"
	"mattran/internal/unit"
)

// The annual evaluation's rows (migration 0060): guides, clusters, sheets,
// entries, inspections. The rules are in internal/evaluation; these are
// its reads and writes. Every write audits itself and marks the owner's
// pages stale (the sheets, tables and home pages read them).

const evalGuideCols = `g.id, g.owner_id, g.doc, g.frozen_at, g.frozen_by, g.snapshot, g.titles_confirmed_at, g.titles_confirmed_by, g.updated_at, g.updated_by`

func scanEvalGuide(ctx context.Context, q queryer, row interface{ Scan(...any) error }) (evaluation.Record, error) {
	var r evaluation.Record
	var ownerID int64
	var doc, snap string
	var frozen, confirmed sql.NullTime
	if err := row.Scan(&r.ID, &ownerID, &doc, &frozen, &r.FrozenBy, &snap, &confirmed, &r.TitlesConfirmedBy, &r.UpdatedAt, &r.UpdatedBy); err != nil {
		return r, err
	}
	r.Guide = &evaluation.Guide{}
	if err := json.Unmarshal([]byte(doc), r.Guide); err != nil {
		return r, fmt.Errorf("hướng dẫn chấm điểm số %d không đọc được: %w", r.ID, err)
	}
	r.FrozenAt, r.TitlesConfirmedAt = frozen.Time, confirmed.Time
	if snap != "" {
		r.Snapshot = []byte(snap)
	}
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE id = $1`, ownerID))
	r.Owner = u
	return r, err
}

func evalGuide(ctx context.Context, q queryer, ownerID int64, year int, level unit.Kind) (evaluation.Record, error) {
	r, err := scanEvalGuide(ctx, q, q.QueryRowContext(ctx, `SELECT `+evalGuideCols+` FROM evaluation_guides g
		WHERE g.owner_id = $1 AND g.year = $2 AND g.level = $3`, ownerID, year, string(level)))
	if err == sql.ErrNoRows {
		return r, notFound("chưa có hướng dẫn chấm điểm thi đua năm %d", year)
	}
	return r, err
}

// EvalGuide reads the guide of owner for a year and level scored.
func (tx *Tx) EvalGuide(ctx context.Context, ownerID int64, year int, level unit.Kind) (evaluation.Record, error) {
	return evalGuide(ctx, tx.c, ownerID, year, level)
}

// EvalGuide is Tx.EvalGuide for pages.
func (s *Store) EvalGuide(ctx context.Context, ownerID int64, year int, level unit.Kind) (evaluation.Record, error) {
	return evalGuide(ctx, s.DB, ownerID, year, level)
}

// EvalGuideByID reads a guide by its id.
func (s *Store) EvalGuideByID(ctx context.Context, id int64) (evaluation.Record, error) {
	r, err := scanEvalGuide(ctx, s.DB, s.DB.QueryRowContext(ctx, `SELECT `+evalGuideCols+` FROM evaluation_guides g WHERE g.id = $1`, id))
	if err == sql.ErrNoRows {
		return r, notFound("không có hướng dẫn chấm điểm số %d", id)
	}
	return r, err
}

// EvalGuidesOf lists the guides a unit issued, newest year first.
func (s *Store) EvalGuidesOf(ctx context.Context, ownerIDs ...int64) ([]evaluation.Record, error) {
	if len(ownerIDs) == 0 {
		return nil, nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+evalGuideCols+` FROM evaluation_guides g WHERE g.owner_id IN (`+s.placeholders(1, len(ownerIDs))+`) ORDER BY g.year DESC, g.level`, int64Args(ownerIDs)...)
	if err != nil {
		return nil, err
	}
	var out []evaluation.Record
	var ids []int64
	for rows.Next() {
		var id int64
		var skip any
		if err := rows.Scan(&id, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip, &skip); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		r, err := s.EvalGuideByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// evalGuideView is a guide's record as the audit log keeps it: its state
// and the guide, not the snapshot (which repeats every sheet).
type evalGuideView struct {
	Guide           *evaluation.Guide `json:"guide,omitempty"`
	Frozen          bool              `json:"frozen"`
	FrozenBy        string            `json:"frozenBy,omitempty"`
	TitlesConfirmed string            `json:"titlesConfirmedBy,omitempty"`
	Note            string            `json:"note,omitempty"`
}

// PutEvalGuide inserts (before nil) or updates a guide's record, and
// audits it.
func (tx *Tx) PutEvalGuide(ctx context.Context, a audit.Actor, action string, before, after *evaluation.Record) error {
	doc, err := json.Marshal(after.Guide)
	if err != nil {
		return err
	}
	nullTime := func(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }
	after.UpdatedAt, after.UpdatedBy = tx.now, a.Name
	if before == nil {
		err = tx.queryRow(ctx, `INSERT INTO evaluation_guides (owner_id, year, level, doc, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, after.Owner.ID, after.Guide.Year, string(after.Guide.Level), string(doc), tx.now.UTC(), a.Name).Scan(&after.ID)
	} else {
		_, err = tx.exec(ctx, `UPDATE evaluation_guides SET doc = $1, frozen_at = $2, frozen_by = $3, snapshot = $4,
			titles_confirmed_at = $5, titles_confirmed_by = $6, updated_at = $7, updated_by = $8 WHERE id = $9`,
			string(doc), nullTime(after.FrozenAt), after.FrozenBy, string(after.Snapshot), nullTime(after.TitlesConfirmedAt), after.TitlesConfirmedBy,
			tx.now.UTC(), a.Name, after.ID)
	}
	if err != nil {
		return err
	}
	view := func(r *evaluation.Record, withGuide bool) any {
		if r == nil {
			return nil
		}
		v := evalGuideView{Frozen: r.Frozen(), FrozenBy: r.FrozenBy, TitlesConfirmed: r.TitlesConfirmedBy, Note: r.Note}
		if withGuide {
			v.Guide = r.Guide
		}
		return v
	}
	withGuide := action == "create" || action == "update"
	tx.Stale(UnitPages(after.Owner))
	return tx.Audit(ctx, a, "evaluation_"+action, "evaluation_guide", after.Key(), view(before, withGuide), view(after, withGuide))
}

func evalClusters(ctx context.Context, q queryer, guideID int64) ([]evaluation.Cluster, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.code, c.name, COALESCE(c.lead_unit_id, 0), m.unit_id FROM evaluation_clusters c
		LEFT JOIN evaluation_members m ON m.cluster_id = c.id WHERE c.guide_id = $1 ORDER BY c.code, m.unit_id`, guideID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []evaluation.Cluster
	for rows.Next() {
		var c evaluation.Cluster
		var m sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.Lead, &m); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != c.ID {
			out = append(out, c)
		}
		if m.Valid {
			out[len(out)-1].Members = append(out[len(out)-1].Members, m.Int64)
		}
	}
	return out, rows.Err()
}

// EvalClusters reads a guide's clusters with their members.
func (tx *Tx) EvalClusters(ctx context.Context, guideID int64) ([]evaluation.Cluster, error) {
	return evalClusters(ctx, tx.c, guideID)
}

// EvalClustersOf is EvalClusters for pages.
func (s *Store) EvalClustersOf(ctx context.Context, guideID int64) ([]evaluation.Cluster, error) {
	return evalClusters(ctx, s.DB, guideID)
}

// PutEvalClusters replaces a guide's clusters, and audits the change.
func (tx *Tx) PutEvalClusters(ctx context.Context, a audit.Actor, rec evaluation.Record, cs []evaluation.Cluster) error {
	before, err := tx.EvalClusters(ctx, rec.ID)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM evaluation_members WHERE guide_id = $1`, rec.ID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM evaluation_clusters WHERE guide_id = $1`, rec.ID); err != nil {
		return err
	}
	for i := range cs {
		c := &cs[i]
		lead := sql.NullInt64{Int64: c.Lead, Valid: c.Lead != 0}
		if err := tx.queryRow(ctx, `INSERT INTO evaluation_clusters (guide_id, code, name, lead_unit_id) VALUES ($1, $2, $3, $4) RETURNING id`,
			rec.ID, c.Code, c.Name, lead).Scan(&c.ID); err != nil {
			return err
		}
		for _, m := range c.Members {
			if _, err := tx.exec(ctx, `INSERT INTO evaluation_members (guide_id, unit_id, cluster_id) VALUES ($1, $2, $3)`, rec.ID, m, c.ID); err != nil {
				return err
			}
		}
	}
	tx.Stale(UnitPages(rec.Owner))
	return tx.Audit(ctx, a, "evaluation_clusters", "evaluation_guide", rec.Key(), before, cs)
}

// evalScored are the units of the guide's level in the owner's subtree on
// the year's last day (or the owner's last, if it ended inside the year).
func evalScored(ctx context.Context, q queryer, rec evaluation.Record) ([]unit.Unit, error) {
	day := min(strconv.Itoa(rec.Guide.Year)+"-12-31", rec.Owner.ValidTo)
	lo, hi := unit.PathRange(rec.Owner.Path)
	return queryUnits(ctx, q, `SELECT `+unitCols+` FROM units WHERE path >= $1 AND path < $2 AND kind = $3
		AND valid_from <= $4 AND valid_to >= $4 AND id <> $5 ORDER BY code`, lo, hi, string(rec.Guide.Level), day, rec.Owner.ID)
}

// EvalScored are the units a guide scores.
func (tx *Tx) EvalScored(ctx context.Context, rec evaluation.Record) ([]unit.Unit, error) {
	return evalScored(ctx, tx.c, rec)
}

// EvalScored is Tx.EvalScored for pages.
func (s *Store) EvalScored(ctx context.Context, rec evaluation.Record) ([]unit.Unit, error) {
	return evalScored(ctx, s.DB, rec)
}

func scanEvalState(row interface{ Scan(...any) error }) (int64, evaluation.SheetState, error) {
	var st evaluation.SheetState
	var id int64
	var status string
	var sent, decided sql.NullTime
	err := row.Scan(&id, &status, &sent, &st.SentBy, &decided, &st.DecidedBy)
	st.Status, st.SentAt, st.DecidedAt = evaluation.SheetStatus(status), sent.Time, decided.Time
	return id, st, err
}

// EvalState reads a unit's sheet's state; the zero state when none.
func (tx *Tx) EvalState(ctx context.Context, guideID, unitID int64) (evaluation.SheetState, error) {
	_, st, err := scanEvalState(tx.queryRow(ctx, `SELECT unit_id, status, sent_at, sent_by, decided_at, decided_by
		FROM evaluation_sheets WHERE guide_id = $1 AND unit_id = $2`, guideID, unitID))
	if err == sql.ErrNoRows {
		return evaluation.SheetState{}, nil
	}
	return st, err
}

// EvalStates reads every sheet's state of a guide, by unit id.
func (s *Store) EvalStates(ctx context.Context, guideID int64) (map[int64]evaluation.SheetState, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT unit_id, status, sent_at, sent_by, decided_at, decided_by FROM evaluation_sheets WHERE guide_id = $1`, guideID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]evaluation.SheetState{}
	for rows.Next() {
		id, st, err := scanEvalState(rows)
		if err != nil {
			return nil, err
		}
		out[id] = st
	}
	return out, rows.Err()
}

func evalSheetKey(rec evaluation.Record, u unit.Unit) string {
	return rec.Key() + "/" + u.Code + "@" + u.ValidFrom
}

// PutEvalState writes a unit's sheet's state, and audits it.
func (tx *Tx) PutEvalState(ctx context.Context, a audit.Actor, rec evaluation.Record, u unit.Unit, action string, before, after evaluation.SheetState) error {
	nullTime := func(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }
	_, err := tx.exec(ctx, `INSERT INTO evaluation_sheets (guide_id, unit_id, status, sent_at, sent_by, decided_at, decided_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (guide_id, unit_id) DO UPDATE SET status = excluded.status, sent_at = excluded.sent_at, sent_by = excluded.sent_by,
			decided_at = excluded.decided_at, decided_by = excluded.decided_by`,
		rec.ID, u.ID, string(after.Status), nullTime(after.SentAt), after.SentBy, nullTime(after.DecidedAt), after.DecidedBy)
	if err != nil {
		return err
	}
	tx.Stale(UnitPages(u, rec.Owner))
	state := func(s evaluation.SheetState) any {
		if s.Status == evaluation.NotStarted {
			return nil
		}
		return map[string]string{"status": string(s.Status), "sentBy": s.SentBy, "decidedBy": s.DecidedBy}
	}
	return tx.Audit(ctx, a, "evaluation_"+action, "evaluation_sheet", evalSheetKey(rec, u), state(before), state(after))
}

const evalEntryCols = `unit_id, criterion, stage, points, reason, evidence, ref, scorer, scored_on`

func scanEvalEntry(row interface{ Scan(...any) error }) (int64, evaluation.Entry, error) {
	var e evaluation.Entry
	var id, pts int64
	var stage string
	err := row.Scan(&id, &e.Criterion, &stage, &pts, &e.Reason, &e.Evidence, &e.Ref, &e.Scorer, &e.On)
	e.Stage, e.Points = evaluation.Stage(stage), evaluation.Points(pts)
	return id, e, err
}

// PutEvalEntry writes one entry (replacing the unit's earlier one for the
// criterion and stage), and audits it with the one it replaced.
func (tx *Tx) PutEvalEntry(ctx context.Context, a audit.Actor, rec evaluation.Record, u unit.Unit, e evaluation.Entry) error {
	var before any
	_, old, err := scanEvalEntry(tx.queryRow(ctx, `SELECT `+evalEntryCols+` FROM evaluation_entries
		WHERE guide_id = $1 AND unit_id = $2 AND criterion = $3 AND stage = $4`, rec.ID, u.ID, e.Criterion, string(e.Stage)))
	switch {
	case err == nil:
		before = old
	case err != sql.ErrNoRows:
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO evaluation_entries (guide_id, unit_id, criterion, stage, points, reason, evidence, ref, scorer, scored_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (guide_id, unit_id, criterion, stage) DO UPDATE SET points = excluded.points, reason = excluded.reason,
			evidence = excluded.evidence, ref = excluded.ref, scorer = excluded.scorer, scored_on = excluded.scored_on`,
		rec.ID, u.ID, e.Criterion, string(e.Stage), int64(e.Points), e.Reason, e.Evidence, e.Ref, e.Scorer, e.On); err != nil {
		return err
	}
	tx.Stale(UnitPages(u, rec.Owner))
	return tx.Audit(ctx, a, "evaluation_score_"+string(e.Stage), "evaluation_sheet", evalSheetKey(rec, u)+"/"+e.Criterion, before, e)
}

// EvalEntries reads every entry of a guide, by unit id.
func (s *Store) EvalEntries(ctx context.Context, guideID int64) (map[int64][]evaluation.Entry, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+evalEntryCols+` FROM evaluation_entries WHERE guide_id = $1 ORDER BY unit_id, criterion, stage`, guideID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]evaluation.Entry{}
	for rows.Next() {
		id, e, err := scanEvalEntry(rows)
		if err != nil {
			return nil, err
		}
		out[id] = append(out[id], e)
	}
	return out, rows.Err()
}

const inspectionCols = `i.id, i.owner_id, i.year, i.subjects, i.starts_on, i.ends_on, i.team_leader, i.team_members,
	i.findings, i.conclusion, i.number, i.concluded_on, i.created_by, ` + unitColsU

// unitColsU are unitCols of the units table aliased u.
const unitColsU = `u.id, u.code, u.name, u.kind, u.official_type, COALESCE(u.parent_id, 0), u.path, u.valid_from, u.valid_to, u.synthetic`

func scanInspection(row interface{ Scan(...any) error }) (evaluation.Inspection, error) {
	var in evaluation.Inspection
	var from, to, concluded, kind string
	u := &in.Unit
	err := row.Scan(&in.ID, &in.OwnerID, &in.Year, &in.Subjects, &from, &to, &in.Leader, &in.Members,
		&in.Findings, &in.Conclusion, &in.Number, &concluded, &in.CreatedBy,
		&u.ID, &u.Code, &u.Name, &kind, &u.OfficialType, &u.ParentID, &u.Path, &u.ValidFrom, &u.ValidTo, &u.Synthetic)
	if err != nil {
		return in, err
	}
	u.Kind = unit.Kind(kind)
	in.From, _ = calendar.ParseDate(from)
	in.To, _ = calendar.ParseDate(to)
	if concluded != "" {
		in.ConcludedOn, _ = calendar.ParseDate(concluded)
	}
	return in, nil
}

const inspectionFrom = ` FROM evaluation_inspections i JOIN units u ON u.id = i.unit_id`

func inspection(ctx context.Context, q queryer, id int64) (evaluation.Inspection, error) {
	in, err := scanInspection(q.QueryRowContext(ctx, `SELECT `+inspectionCols+inspectionFrom+` WHERE i.id = $1`, id))
	if err == sql.ErrNoRows {
		return in, notFound("không có cuộc kiểm tra số %d", id)
	}
	if err != nil {
		return in, err
	}
	rows, err := q.QueryContext(ctx, `SELECT case_id FROM evaluation_recommendations WHERE inspection_id = $1 ORDER BY case_id`, id)
	if err != nil {
		return in, err
	}
	defer rows.Close()
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return in, err
		}
		in.Recs = append(in.Recs, c)
	}
	return in, rows.Err()
}

// Inspection reads an inspection and its recommendations' case ids.
func (tx *Tx) Inspection(ctx context.Context, id int64) (evaluation.Inspection, error) {
	return inspection(ctx, tx.c, id)
}

// Inspection is Tx.Inspection for pages.
func (s *Store) Inspection(ctx context.Context, id int64) (evaluation.Inspection, error) {
	return inspection(ctx, s.DB, id)
}

// Inspections lists the inspections owner planned for a year (ownerID
// 0: any), or those of one inspected unit (unitID), by start day.
func (s *Store) Inspections(ctx context.Context, ownerID, unitID int64, year int) ([]evaluation.Inspection, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+inspectionCols+inspectionFrom+`
		WHERE ($1 = 0 OR i.owner_id = $1) AND ($2 = 0 OR i.unit_id = $2) AND i.year = $3 ORDER BY i.starts_on, i.id`, ownerID, unitID, year)
	if err != nil {
		return nil, err
	}
	var out []evaluation.Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		full, err := s.Inspection(ctx, out[i].ID)
		if err != nil {
			return nil, err
		}
		out[i].Recs = full.Recs
	}
	return out, nil
}

// PutInspection inserts (before nil) or updates an inspection, and audits it.
func (tx *Tx) PutInspection(ctx context.Context, a audit.Actor, action string, before, after *evaluation.Inspection) error {
	day := func(d calendar.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	var err error
	if before == nil {
		err = tx.queryRow(ctx, `INSERT INTO evaluation_inspections (owner_id, year, unit_id, subjects, starts_on, ends_on, team_leader, team_members, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, after.OwnerID, after.Year, after.Unit.ID, after.Subjects,
			day(after.From), day(after.To), after.Leader, after.Members, a.Name, tx.now.UTC()).Scan(&after.ID)
	} else {
		_, err = tx.exec(ctx, `UPDATE evaluation_inspections SET subjects = $1, starts_on = $2, ends_on = $3, team_leader = $4, team_members = $5,
			findings = $6, conclusion = $7, number = $8, concluded_on = $9 WHERE id = $10`, after.Subjects, day(after.From), day(after.To),
			after.Leader, after.Members, after.Findings, after.Conclusion, after.Number, day(after.ConcludedOn), after.ID)
	}
	if err != nil {
		return err
	}
	owner, err := tx.UnitByID(ctx, after.OwnerID)
	if err != nil {
		return err
	}
	tx.Stale(UnitPages(after.Unit, owner))
	view := func(in *evaluation.Inspection) any {
		if in == nil {
			return nil
		}
		return map[string]any{"unit": in.Unit.Code, "year": in.Year, "subjects": in.Subjects, "from": day(in.From), "to": day(in.To),
			"leader": in.Leader, "members": in.Members, "findings": in.Findings, "conclusion": in.Conclusion, "number": in.Number, "concludedOn": day(in.ConcludedOn)}
	}
	return tx.Audit(ctx, a, "inspection_"+action, "evaluation_inspection", strconv.FormatInt(after.ID, 10), view(before), view(after))
}

// LinkRecommendation records that a case is a recommendation of an
// inspection, and audits it.
func (tx *Tx) LinkRecommendation(ctx context.Context, a audit.Actor, inspectionID, caseID int64) error {
	if _, err := tx.exec(ctx, `INSERT INTO evaluation_recommendations (case_id, inspection_id) VALUES ($1, $2)`, caseID, inspectionID); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "inspection_recommend", "evaluation_inspection", strconv.FormatInt(inspectionID, 10), nil, map[string]int64{"case": caseID})
}

// The store is what the evaluation reads and writes through.
var (
	_ evaluation.Tx     = (*Tx)(nil)
	_ evaluation.Source = (*Store)(nil)
)
