package unit

import (
	"io"
	"strconv"

	"mattran/internal/csvsafe"
)

// WriteCSV writes units in the CSV form Parse reads back. A unit's parent
// is written by code, looked up among units and then among parents (for
// the top of an exported subtree); the root (central committee) is left
// out, and provinces have no parent code. A code or name that a
// spreadsheet would run as a formula is written as text (csvsafe), and
// read back as it was.
func WriteCSV(w io.Writer, units []Unit, parents ...Unit) error {
	byID := map[int64]Unit{}
	for _, u := range append(parents, units...) {
		byID[u.ID] = u
	}
	cw := csvsafe.NewWriter(w)
	cw.Write([]string{"code", "name", "kind", "parent_code", "official_type", "synthetic", "valid_from", "valid_to"})
	for _, u := range units {
		if u.Kind == Central {
			continue
		}
		parent := ""
		if p, ok := byID[u.ParentID]; ok && p.Kind != Central {
			parent = p.Code
		}
		from, to := u.ValidFrom, u.ValidTo
		if from == Beginning {
			from = ""
		}
		if to == Forever {
			to = ""
		}
		cw.Write([]string{u.Code, u.Name, string(u.Kind), parent, u.OfficialType, strconv.FormatBool(u.Synthetic), from, to})
	}
	cw.Flush()
	return cw.Error()
}
