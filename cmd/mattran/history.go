package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"mattran/internal/store"
	"mattran/internal/unit"
)

func cmdUnitsHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("units history", "MÃ [--db …]",
		"In lịch sử của một mã đơn vị: mọi phiên bản mang mã ấy (tên, cấp, cấp trên, thời gian hiệu lực), và với\n"+
			"mỗi phiên bản, các đơn vị trước nó (hình thành từ) và sau nó (được kế thừa bởi), có ngày và kiểu\n"+
			"kế thừa (toàn bộ / một phần), lần theo các liên kết qua nhiều lần sắp xếp.", stdout)
	db := fs.DB()
	pos, err := fs.parse(args, "MÃ")
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := s.History(ctx, pos[0])
	if err != nil {
		return err
	}
	writeHistory(stdout, h)
	return nil
}

// writeHistory prints each version of a code and its links, transitively:
// predecessors above the version's line, successors below, indented by
// how many links away they are.
func writeHistory(w io.Writer, h *store.UnitHistory) {
	line := func(u unit.Unit) string {
		s := fmt.Sprintf("%s %s (%s), %s", u.Code, u.Name, strings.ToLower(u.Kind.Label()), validity(u))
		if p, ok := h.Units[u.ParentID]; ok && p.Kind != unit.Central {
			s += ", thuộc " + p.Name
		}
		return s
	}
	for i, v := range h.Versions {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "Phiên bản %d/%d: %s\n", i+1, len(h.Versions), line(v))
		prev := unit.Ancestry(v.ID, h.Prev, -1)
		next := unit.Ancestry(v.ID, h.Next, 1)
		if len(prev) == 0 && len(next) == 0 {
			fmt.Fprintln(w, "  Không có liên kết kế thừa.")
			continue
		}
		if len(prev) > 0 {
			fmt.Fprintln(w, "  Hình thành từ:")
			writeSteps(w, h, prev, -1, line)
		}
		if len(next) > 0 {
			fmt.Fprintln(w, "  Được kế thừa bởi:")
			writeSteps(w, h, next, 1, line)
		}
	}
}

func writeSteps(w io.Writer, h *store.UnitHistory, steps []unit.Step, dir int, line func(unit.Unit) string) {
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].Depth < steps[j].Depth })
	for _, st := range steps {
		other, near := h.Units[st.To], h.Units[st.From]
		if dir < 0 {
			other, near = h.Units[st.From], h.Units[st.To]
		}
		kind := "toàn bộ"
		if st.Kind == unit.Partial {
			kind = "một phần"
		}
		day := near.ValidFrom
		if dir > 0 {
			day = other.ValidFrom
		}
		via := ""
		if st.Depth > 1 {
			via = " → qua " + near.Code + " " + near.Name
		}
		fmt.Fprintf(w, "  %s- ngày %s, %s: %s%s\n", strings.Repeat("  ", st.Depth-1), dayVN(day), kind, line(other), via)
	}
}

// validity writes a version's interval as users read it.
func validity(u unit.Unit) string {
	switch {
	case u.ValidFrom == unit.Beginning && u.ValidTo == unit.Forever:
		return "hiệu lực từ trước đến nay"
	case u.ValidFrom == unit.Beginning:
		return "hiệu lực đến " + dayVN(u.ValidTo)
	case u.ValidTo == unit.Forever:
		return "hiệu lực từ " + dayVN(u.ValidFrom)
	}
	return "hiệu lực " + dayVN(u.ValidFrom) + " – " + dayVN(u.ValidTo)
}

func dayVN(d string) string {
	if len(d) != 10 {
		return d
	}
	return d[8:10] + "/" + d[5:7] + "/" + d[0:4]
}
