package api

import (
	"bytes"
	"net/http"
	"strconv"

	"mattran/internal/access"
	"mattran/internal/calendar"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/evaluation"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// evalParams reads ?year= (required) and ?unit=, the unit that carried
// the code during the year.
func (a *API) evalParams(r *http.Request) (int, unit.Unit, error) {
	q := r.URL.Query()
	year, err := strconv.Atoi(q.Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		return 0, unit.Unit{}, errs.New(errs.Invalid, "tham số year: ghi năm, ví dụ 2024")
	}
	if q.Get("unit") == "" {
		return 0, unit.Unit{}, errs.New(errs.Invalid, "thiếu tham số unit (mã đơn vị)")
	}
	y := strconv.Itoa(year)
	u, err := a.Store.UnitDuring(r.Context(), q.Get("unit"), y+"-01-01", y+"-12-31")
	return year, u, err
}

// evalRecordOf is the guide u issued for the year, else the one that
// scores u (its nearest ancestor's for u's kind); owns says which.
func (a *API) evalRecordOf(r *http.Request, u unit.Unit, year int) (rec evaluation.Record, owns bool, err error) {
	recs, err := a.Store.EvalGuidesOf(r.Context(), u.ID)
	if err != nil {
		return rec, false, err
	}
	for _, x := range recs {
		if x.Guide.Year == year {
			return x, true, nil
		}
	}
	anc := u.AncestorIDs()
	for i := len(anc) - 1; i >= 0; i-- {
		rec, err = a.Store.EvalGuide(r.Context(), anc[i], year, u.Kind)
		if err == nil || !errs.Is(err, errs.NotFound) {
			return rec, false, err
		}
	}
	return rec, false, errs.New(errs.NotFound, "chưa có hướng dẫn chấm điểm thi đua năm %d của hoặc cho đơn vị %s", year, u.Name)
}

// evaluation gives the ranked list of a level (unit = the level above
// that issued the guide) or one unit's place in it (unit = a scored
// unit): totals, classes, ranks, titles and, for every point, its source.
func (a *API) evaluation(w http.ResponseWriter, r *http.Request) error {
	year, u, err := a.evalParams(r)
	if err != nil {
		return err
	}
	rec, owns, err := a.evalRecordOf(r, u, year)
	if err != nil {
		return err
	}
	me := currentUser(r)
	if owns {
		err = access.SeeEvaluation(me, u)
	} else {
		err = access.SeeScoresheet(me, u)
	}
	if err != nil {
		return err
	}
	b, err := evaluation.Results(r.Context(), a.Store, rec, calendar.DateOf(clock.InVietnam(a.Now())))
	if err != nil {
		return err
	}
	clusters := map[string]string{}
	for _, c := range b.Clusters {
		clusters[c.Code] = c.Name
	}
	units := []map[string]any{}
	for _, sh := range b.Sheets {
		if !owns && sh.Unit.ID != u.ID {
			continue
		}
		lines := make([]map[string]any, 0, len(sh.Lines))
		for _, l := range sh.Lines {
			line := map[string]any{"code": l.Code, "name": l.Name, "group": l.Group, "kind": l.Kind, "max": l.Max.Float(),
				"points": l.Points.Float(), "source": l.Origin}
			if l.Computed != nil {
				line["computed"] = l.Computed.Float()
			}
			if l.Self != nil {
				line["self"] = l.Self.Points.Float()
			}
			if l.Verified != nil {
				line["verified"] = map[string]any{"points": l.Verified.Points.Float(), "reason": l.Verified.Reason, "by": l.Verified.Scorer, "on": l.Verified.On}
			}
			lines = append(lines, line)
		}
		x := map[string]any{"rank": sh.Rank, "unit": unitJSON(sh.Unit), "total": sh.Total.Float(), "max": sh.Max.Float(),
			"percent": sh.Percent(), "bonus": sh.Bonus.Float(), "deduction": sh.Deduction.Float(),
			"class": sh.Class, "classLabel": sh.Class.Label(), "band": sh.Band, "droppedByCap": sh.Dropped,
			"status": b.States[sh.Unit.ID].Status, "lines": lines}
		if sh.Cluster != "" {
			x["cluster"] = map[string]any{"code": sh.Cluster, "name": clusters[sh.Cluster], "rank": sh.ClusterRank}
		}
		if sh.Title != "" {
			x["title"] = map[string]string{"code": sh.Title, "name": rec.Guide.TitleName(sh.Title)}
		}
		units = append(units, x)
	}
	out := map[string]any{"year": year, "owner": unitJSON(rec.Owner), "level": rec.Guide.Level,
		"guide":  map[string]any{"name": rec.Guide.Name, "example": rec.Guide.Example, "max": rec.Guide.Max().Float(), "tieBreak": rec.Guide.TieBreakText()},
		"frozen": rec.Frozen(), "units": units}
	if rec.Frozen() {
		out["frozenAt"], out["frozenBy"] = rec.FrozenAt, rec.FrozenBy
	}
	return writeJSON(w, http.StatusOK, out)
}

// evaluationGuide exports the guide a unit issued for the year, as YAML
// (?format=yaml) or JSON.
func (a *API) evaluationGuide(w http.ResponseWriter, r *http.Request) error {
	year, u, err := a.evalParams(r)
	if err != nil {
		return err
	}
	if err := access.SeeEvaluation(currentUser(r), u); err != nil {
		return err
	}
	rec, owns, err := a.evalRecordOf(r, u, year)
	if err != nil {
		return err
	}
	if !owns {
		return errs.New(errs.NotFound, "%s không ban hành hướng dẫn chấm điểm năm %d", u.Name, year)
	}
	if r.URL.Query().Get("format") == "yaml" {
		var buf bytes.Buffer
		if err := rec.Guide.Export(&buf); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		_, err := w.Write(buf.Bytes())
		return err
	}
	return writeJSON(w, http.StatusOK, rec.Guide)
}

// importEvaluationGuide stores a guide (YAML or JSON body) for the unit
// given (?unit=, the level above), whole or not at all.
func (a *API) importEvaluationGuide(w http.ResponseWriter, r *http.Request) error {
	g, err := evaluation.ParseGuide(http.MaxBytesReader(w, r.Body, evaluation.MaxGuideBytes+1))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	q.Set("year", strconv.Itoa(g.Year))
	r.URL.RawQuery = q.Encode()
	_, owner, err := a.evalParams(r)
	if err != nil {
		return err
	}
	me := currentUser(r)
	if err := access.JudgeEvaluation(me, owner); err != nil {
		return err
	}
	prog, err := a.Store.Program(r.Context(), g.Program)
	if err != nil {
		return err
	}
	var rec evaluation.Record
	if err := a.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		rec, err = evaluation.SaveGuide(r.Context(), tx, me.Actor(), owner, g, prog)
		return err
	}); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"year": g.Year, "owner": unitJSON(owner), "level": g.Level, "max": g.Max().Float(), "id": rec.ID})
}
