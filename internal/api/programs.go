package api

import (
	"net/http"
	"sort"

	"mattran/internal/access"
	"mattran/internal/errs"
	"mattran/internal/program"
)

// mayReadProgram asks package access whether the user may read p.
func (a *API) mayReadProgram(r *http.Request, p *program.Program) error {
	if !p.Derived() {
		return nil
	}
	owner, err := a.Store.OwnerOf(r.Context(), p)
	if err != nil {
		return err
	}
	return access.ReadProgramOf(currentUser(r), p, owner)
}

// listPrograms lists the programs the user may read (access.ReadProgramOf):
// every root program, and the derived ones of their subtree and above.
func (a *API) listPrograms(w http.ResponseWriter, r *http.Request) error {
	progs, err := a.Store.Programs(r.Context())
	if err != nil {
		return err
	}
	list := []map[string]any{}
	for _, p := range progs {
		if err := a.mayReadProgram(r, p); errs.CodeOf(err) == errs.Forbidden {
			continue
		} else if err != nil {
			return err
		}
		list = append(list, map[string]any{
			"id": p.Code, "name": p.Name, "ownerUnit": p.OwnerUnit, "term": p.Term,
			"subprograms": len(p.Subprograms), "targets": len(p.Targets()),
		})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"programs": list})
}

// getProgram returns the whole program: sub-programs with objectives, focus
// tasks and solutions, and each target with its thresholds (as numbers and
// as text) and the codes of the data elements it reads.
func (a *API) getProgram(w http.ResponseWriter, r *http.Request) error {
	p, err := a.Store.Program(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := a.mayReadProgram(r, p); err != nil {
		return err
	}
	var targets []map[string]any
	for _, s := range p.Subprograms {
		for _, t := range s.Targets {
			var thresholds []map[string]any
			var codes []string
			for _, c := range t.Conditions {
				thresholds = append(thresholds, map[string]any{
					"label": c.Label, "comparator": c.Comparator, "value": c.Threshold,
					"text": c.ThresholdText(p.IsMoney(c)), "percent": c.IsPercent(),
				})
				codes = append(codes, c.ElementCodes()...)
			}
			targets = append(targets, map[string]any{
				"code": t.Code, "subprogram": s.Code, "name": t.Name, "measure": t.Measure,
				"periodType": t.PeriodType, "appliesTo": t.AppliesTo, "thresholds": thresholds, "dataElements": codes,
			})
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"id": p.Code, "name": p.Name, "ownerUnit": p.OwnerUnit, "term": p.Term,
		"preamble": p.Preamble, "purpose": p.Purpose, "requirements": p.Requirements,
		"subprograms": p.Subprograms, "implementation": p.Implementation, "targets": targets,
		"dataElements": p.DataElements,
	})
}

func (a *API) listElements(w http.ResponseWriter, r *http.Request) error {
	els, err := a.Store.Elements(r.Context())
	if err != nil {
		return err
	}
	list := []any{}
	codes := make([]string, 0, len(els))
	for c := range els {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		list = append(list, els[c].DataElement)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"dataElements": list})
}
