package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/unit"
)

func (h *Web) programRoutes() []Route {
	return []Route{
		{"GET /program", false, h.programDocPage},
		{"GET /program/{code}", false, h.programDocPage},
		{"GET /public/program", true, h.publicProgram},
		{"GET /public/program/{code}", true, h.publicProgram},
	}
}

// programDoc is an action program as its document reads: the preamble,
// I. purpose and requirements, II. the programs with their objectives,
// focus tasks and solutions, III. how it is carried out. Signed in, each
// objective's targets carry their verdict at the reader's unit.
type programDoc struct {
	Public   bool
	Program  *program.Program
	Issuer   string // "ỦY BAN MTTQ VIỆT NAM TỈNH BẮC GIANG"
	Title    string // "CHƯƠNG TRÌNH HÀNH ĐỘNG"
	Subtitle string // the rest of the name: "thực hiện Nghị quyết …"
	Parts    []docPart
	// Implementation is section III, its paragraphs numbered: "1. Căn cứ …".
	Implementation []string
	Unit           unit.Unit
	Period         period.Period
	Periods        []periodGroup
	HomeURL        string
	PublicURL      string
}

// docPart is one numbered program (Chương trình 1..5).
type docPart struct {
	Number     int
	Code, Name string
	Objectives []docObjective
	FocusTasks []string
	Solutions  []string
}

type docObjective struct {
	Text    string
	Targets []targetView
}

func (h *Web) programDocPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	return h.programDocument(w, r, s, false)
}

func (h *Web) publicProgram(w http.ResponseWriter, r *http.Request, s *Session) error {
	return h.programDocument(w, r, s, true)
}

// programDocument renders the program. The public document carries no
// figures and nothing of the reader: it is the program as published.
func (h *Web) programDocument(w http.ResponseWriter, r *http.Request, s *Session, public bool) error {
	sc, err := h.scopeOf(r, s, r.PathValue("code"), public)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%s|%s|%s|%v", sc.prog.Code, sc.unit.Path, sc.period, public)
	body, err := h.fragment(r.Context(), sc.unit, key, "program_body", func(ctx context.Context) (any, error) {
		return h.programModel(ctx, sc, public)
	})
	if err != nil {
		return err
	}
	page := framedPage{Base: h.base(s, sc.prog.Name), Body: body}
	page.Nav = "program"
	if public {
		page.Nav = "public"
	}
	return h.render(w, "program.html", page)
}

func (h *Web) programModel(ctx context.Context, sc pageScope, public bool) (*programDoc, error) {
	prog := sc.prog
	doc := &programDoc{Public: public, Program: prog, Unit: sc.unit, Period: sc.period, Periods: periodChoices(prog, sc.period),
		PublicURL: "/public/program/" + prog.Code}
	doc.Title, doc.Subtitle = "CHƯƠNG TRÌNH HÀNH ĐỘNG", prog.Name
	if rest, ok := strings.CutPrefix(prog.Name, "Chương trình hành động "); ok {
		doc.Subtitle = rest
	} else {
		doc.Title, doc.Subtitle = strings.ToUpper(prog.Name), ""
	}
	doc.Issuer = prog.OwnerUnit
	if owner, err := h.Store.UnitDuring(ctx, prog.OwnerUnit, sc.period.StartDate(), sc.period.EndDate()); err == nil {
		doc.Issuer = strings.ToUpper(committee(owner))
	}
	results := map[string]rollup.TargetResult{}
	if !public {
		card, _, err := h.cardOf(ctx, prog, sc.unit, sc.period)
		if err != nil {
			return nil, err
		}
		for _, t := range card.Targets {
			results[t.Target.Code] = t
		}
		doc.HomeURL = query("/home", "program", progParam(sc), "unit", sc.unit.Code, "period", sc.period.String())
	}
	for i, sub := range prog.Subprograms {
		part := docPart{Number: i + 1, Code: sub.Code, Name: sub.Name, FocusTasks: sub.FocusTasks, Solutions: sub.Solutions}
		for j, text := range sub.Objectives {
			o := docObjective{Text: text}
			for _, t := range sub.Targets {
				if t.Objective == j+1 {
					o.Targets = append(o.Targets, viewOf(prog, t, results[t.Code]))
				}
			}
			part.Objectives = append(part.Objectives, o)
		}
		doc.Parts = append(doc.Parts, part)
	}
	for i, text := range prog.Implementation {
		doc.Implementation = append(doc.Implementation, strconv.Itoa(i+1)+". "+text)
	}
	return doc, nil
}
