package web

import "testing"

// A figure just short of a 100% target must not print as 100% beside
// "Chưa đạt"; an exact figure must not lose a tenth to floating point.
func TestPercentNeverRoundsUpToTheThreshold(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{99.97, "99,9%"},
		{100, "100%"},
		{100 * 135.0 / 150, "90%"},
		{100 * 205.0 / 230, "89,1%"},
		{0, "0%"},
	} {
		if got := percent(c.v); got != c.want {
			t.Errorf("percent(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}
