package store

import (
	"context"
	"fmt"

	"mattran/internal/program"
	"mattran/internal/unit"
)

// OwnerOf returns the unit that owns a program, as it was during the
// program's term (the later one when its code changed hands): what
// access.ReadProgramOf asks about.
func (s *Store) OwnerOf(ctx context.Context, p *program.Program) (unit.Unit, error) {
	return s.UnitDuring(ctx, p.OwnerUnit, fmt.Sprintf("%04d-01-01", p.Term.From), fmt.Sprintf("%04d-12-31", p.Term.To))
}
