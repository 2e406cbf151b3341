package submission

import (
	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
)

// InTerm: a program's reports exist only within its term. A report of
// January 2010 for the 2019–2024 program is no report, and sending it
// wrote T1.2's counts for 2010.
func InTerm(prog *program.Program, p period.Period) error {
	if p.Year < prog.Term.From || p.Year > prog.Term.To {
		return errs.New(errs.Invalid, "Kỳ %s nằm ngoài nhiệm kỳ của chương trình (%d–%d).", p.Label(), prog.Term.From, prog.Term.To)
	}
	return nil
}
