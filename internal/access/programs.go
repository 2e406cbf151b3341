package access

import (
	"mattran/internal/errs"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// What is public about a program, decided here for every page and the API:
//
//   - A root program, one that is no unit's derivation of another (the
//     province's, imported from its file), is what the committee publishes
//     (the seed's Section III: "the program is published on the
//     committee's website"). Anyone reads it, signed in or not: its
//     document, its targets and their results.
//   - A derived program (chương trình cụ thể hóa) is a lower committee's
//     working document, changed as its own thresholds and tasks are agreed.
//     Its name, its owner, its thresholds and tasks are read by whoever
//     reads it at /cascade: the owner's subtree and the levels above it,
//     which set its quotas (ReadProgram). A visitor who has not signed in
//     does not learn that it exists; a signed-in user beside it (a
//     sibling district) is refused, on the program's document, the
//     scorecard, the home page and in GET /api/v1/programs alike.

// PublicProgram: a visitor who has not signed in reads root programs
// only; a derived one is answered as if it did not exist.
func PublicProgram(p *program.Program) error {
	if p.Derived() {
		return errs.New(errs.NotFound, "Không có chương trình mã %s.", p.Code)
	}
	return nil
}

// ReadProgramOf: a signed-in user reads every root program, and a derived
// one when ReadProgram lets them read its owner's (owner is the unit that
// derived it).
func ReadProgramOf(u user.User, p *program.Program, owner unit.Unit) error {
	if !p.Derived() {
		return nil
	}
	return ReadProgram(u, owner)
}
