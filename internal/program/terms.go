package program

import (
	"strings"

	"mattran/internal/errs"
)

// A committee's program runs for its term; the next term's program often
// keeps a target under a new code or a new threshold ("90% gia đình văn
// hóa" becomes "92%"). The new program names the program it continues and,
// per target, the target it carries on, so that a unit's trend runs
// through both terms (and through the reorganisation of the tree between
// them, rollup.Across).

// maxExampleNote bounds the example note: it shows on every page.
const maxExampleNote = 500

func (v *validator) continuation(p *Program) {
	if len(p.Example) > maxExampleNote {
		v.add(errs.ExampleNoteTooLong, errs.Args{Max: maxExampleNote}, "example")
	}
	if p.Example != "" && strings.TrimSpace(p.Example) == "" {
		v.add(errs.ExampleNoteBlank, errs.Args{}, "example")
	}
	if p.Continues != "" {
		v.code(p.Continues, errs.ContinuesCodeMissing, errs.ContinuesCodeInvalid, "continues")
		if p.Continues == p.Code {
			v.add(errs.ContinuesItself, errs.Args{}, "continues")
		}
	}
	for i, s := range p.Subprograms {
		for j, t := range s.Targets {
			if t.Continues == "" {
				continue
			}
			if p.Continues == "" {
				v.add(errs.TargetContinuesAlone, errs.Args{Target: t.Code, Text: t.Continues}, "subprograms", i, "targets", j, "continues")
				continue
			}
			v.code(t.Continues, errs.PrevTargetCodeMissing, errs.PrevTargetCodeInvalid, "subprograms", i, "targets", j, "continues")
		}
	}
}

// Previous returns the target of prev (the program p continues) that t
// carries on, if it declares one and prev has it.
func (p *Program) Previous(t Target, prev *Program) (Target, bool) {
	if prev == nil || t.Continues == "" || p.Continues != prev.Code {
		return Target{}, false
	}
	return prev.Target(t.Continues)
}

// ExampleNote is what every page showing an example program says of it.
func (p *Program) ExampleNote() string {
	if p == nil || p.Example == "" {
		return ""
	}
	return "Chương trình ví dụ, không phải văn bản đã ban hành: " + strings.TrimSpace(p.Example)
}
