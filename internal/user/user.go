// Package user holds users: their role and unit, their passwords and API
// tokens. What a role may do where is decided in one place, package access.
package user

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"mattran/internal/audit"
	"mattran/internal/unit"
)

// Role is what a user may do within their subtree.
type Role string

const (
	Admin   Role = "admin"   // everything, including units, programs and users
	Leader  Role = "leader"  // reads everything, approves reports
	Officer Role = "officer" // reads and enters figures
	Viewer  Role = "viewer"  // reads
)

// ParseRole accepts a role's English name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Admin, Leader, Officer, Viewer:
		return r, nil
	}
	return "", fmt.Errorf("vai trò %q không hợp lệ (admin, leader, officer, viewer)", s)
}

// Label is the role as users read it.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "Quản trị"
	case Leader:
		return "Lãnh đạo"
	case Officer:
		return "Cán bộ nghiệp vụ"
	case Viewer:
		return "Chỉ xem"
	}
	return string(r)
}

// User is a person who signs in, or whose token calls the API.
type User struct {
	ID       int64     `json:"-"`
	Username string    `json:"username"`
	FullName string    `json:"fullName"`
	Role     Role      `json:"role"`
	Unit     unit.Unit `json:"unit"`
	Disabled bool      `json:"disabled,omitempty"`
	// Heritage are the paths of the units the user's unit was made from,
	// transitively (the old provinces of a merged one): their history is
	// the user's to read, not to change (package access).
	Heritage []string `json:"-"`
}

// Actor is the user as the audit log names them.
func (u User) Actor() audit.Actor {
	return audit.Actor{UserID: u.ID, Name: u.Username, UnitPath: u.Unit.Path}
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// ValidateUsername: lower-case letters, digits, '.', '_', '-'; 3–64 long.
func ValidateUsername(s string) error {
	if !usernamePattern.MatchString(s) {
		return fmt.Errorf("tên đăng nhập %q không hợp lệ: 3–64 ký tự chữ thường không dấu, số, dấu . _ -", s)
	}
	return nil
}

// MinPasswordLength is 10 characters: long enough to resist guessing,
// short enough for a commune officer to type.
const MinPasswordLength = 10

// ValidatePassword asks for at least MinPasswordLength characters.
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return fmt.Errorf("mật khẩu phải có ít nhất %d ký tự", MinPasswordLength)
	}
	return nil
}

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes), which an old
// server still computes in tens of milliseconds.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// passwordChecks counts CheckPassword's argon2id computations, so a test
// can see that a sign-in costs one hash whoever the name belongs to.
var passwordChecks atomic.Uint64

// PasswordChecks is how many hashes CheckPassword has computed.
func PasswordChecks() uint64 { return passwordChecks.Load() }

// CheckPassword reports whether pw matches an encoded hash.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	passwordChecks.Add(1)
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is a hash of no one's password, checked when a name has no
// account (or a disabled one), so that a wrong name costs the same time as
// a wrong password and the time of an answer does not tell who has an
// account.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword(NewPassword() + NewPassword())
	if err != nil {
		panic(err) // crypto/rand failed: nothing can be hashed
	}
	return h
})

// CheckNoPassword spends the time of a CheckPassword on a dummy hash and
// reports false.
func CheckNoPassword(pw string) bool {
	CheckPassword(dummyHash(), pw)
	return false
}

// NewToken returns a fresh API token and the hash to store for it.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = "mt_" + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is what the database keeps of a token. Tokens are long random
// strings, so a plain SHA-256 is enough (no salt or stretching needed).
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewPassword returns a random password for generated accounts (the demo).
func NewPassword() string {
	b := make([]byte, 9)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
