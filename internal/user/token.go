package user

import "time"

// Token is an API token as its owner and their admins see it: never the
// token itself, which is shown once when it is issued and stored only as
// a hash.
type Token struct {
	ID        int64
	Name      string    // what it is for: "Đồng bộ DHIS2 tỉnh"
	Hint      string    // its last four characters, to tell two apart
	Created   time.Time // when it was issued
	Expires   time.Time // zero: it does not expire
	LastUsed  time.Time // zero: never used (recorded at most hourly)
	Revoked   time.Time // zero: not revoked
	RevokedBy string
}

// Active reports whether the token opens the API at now.
func (t Token) Active(now time.Time) bool {
	return t.Revoked.IsZero() && (t.Expires.IsZero() || now.Before(t.Expires))
}

// State says, in Vietnamese, whether the token works.
func (t Token) State(now time.Time) string {
	switch {
	case !t.Revoked.IsZero():
		return "Đã thu hồi"
	case !t.Active(now):
		return "Đã hết hạn"
	}
	return "Đang dùng"
}

// TokenHint is the part of a token kept to tell it apart: its last four
// characters, which say nothing that helps guess the other 40.
func TokenHint(token string) string {
	if len(token) < 4 {
		return ""
	}
	return "…" + token[len(token)-4:]
}
