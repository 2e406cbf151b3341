package program

import "mattran/internal/vn"

// ThresholdText writes a condition's threshold as the program states it:
// "≥ 90%", "≥ 50 tỷ đồng", "= 0", "≥ năm trước", "theo dõi". money says the
// condition counts đồng.
func (c Condition) ThresholdText(money bool) string {
	switch c.Comparator {
	case Tracked:
		return "theo dõi"
	case GEPreviousYear:
		return "≥ năm trước"
	}
	if c.Threshold == nil {
		return ""
	}
	symbol := map[Comparator]string{GE: "≥", GT: ">", LE: "≤", LT: "<", EQ: "="}[c.Comparator]
	t := *c.Threshold
	switch {
	case c.IsPercent():
		return symbol + " " + vn.FormatPercent(t)
	case money:
		return symbol + " " + vn.FormatMoney(t)
	}
	return symbol + " " + vn.FormatNumber(t, -1)
}

// IsMoney reports whether a count condition adds up money elements.
func (p *Program) IsMoney(c Condition) bool {
	if c.IsPercent() || len(c.Elements) == 0 {
		return false
	}
	e, ok := p.Element(c.Elements[0])
	return ok && e.ValueType == Money
}
