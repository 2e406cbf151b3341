package casework

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"

	"mattran/internal/errs"
)

// The key that seals protected identities comes from the environment,
// never from the database: a copy of the database (a backup, a stolen
// disk) without the key holds no denouncer's name.
const (
	KeyEnv     = "MATTRAN_CASE_KEY"      // 32 bytes, hex (64 digits) or base64
	KeyFileEnv = "MATTRAN_CASE_KEY_FILE" // a file holding the same
)

// Sealer encrypts and decrypts protected identities with AES-256-GCM. A
// sealed value is nonce ‖ ciphertext, bound to its case's tracking code
// (the additional data), so a sealed identity copied onto another case
// does not open.
type Sealer struct{ aead cipher.AEAD }

// NewSealer takes a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, errs.New(errs.Invalid, "khóa bảo vệ danh tính phải dài 32 byte (64 chữ số hex), không phải %d byte", len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: g}, nil
}

// SealerFromEnv reads the key from MATTRAN_CASE_KEY or the file named by
// MATTRAN_CASE_KEY_FILE. With neither set it returns nil and no error:
// the server runs, and refuses to record a protected identity.
func SealerFromEnv() (*Sealer, error) {
	text := os.Getenv(KeyEnv)
	if text == "" {
		if f := os.Getenv(KeyFileEnv); f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, errs.New(errs.Invalid, "không đọc được tệp khóa %s: %v", KeyFileEnv, err)
			}
			text = string(b)
		}
	}
	if text = strings.TrimSpace(text); text == "" {
		return nil, nil
	}
	key, err := ParseKey(text)
	if err != nil {
		return nil, err
	}
	return NewSealer(key)
}

// ParseKey reads a key written as 64 hex digits or as base64.
func ParseKey(text string) ([]byte, error) {
	if k, err := hex.DecodeString(text); err == nil && len(k) == 32 {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(text); err == nil && len(k) == 32 {
		return k, nil
	}
	return nil, errs.New(errs.Invalid, "khóa bảo vệ danh tính phải là 32 byte viết bằng 64 chữ số hex hoặc base64")
}

// NewKeyText returns a fresh random key as 64 hex digits.
func NewKeyText() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// SealBytes seals b for the case with tracking code code.
func (s *Sealer) SealBytes(code string, b []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, b, []byte(code))
}

// OpenBytes opens what SealBytes sealed.
func (s *Sealer) OpenBytes(code string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errs.New(errs.Internal, "dữ liệu được bảo vệ của vụ việc %s bị hỏng", code)
	}
	b, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(code))
	if err != nil {
		return nil, errs.New(errs.Internal, "không mở được danh tính được bảo vệ của vụ việc %s (sai khóa?)", code)
	}
	return b, nil
}

// Seal seals a case's petitioners.
func (s *Sealer) Seal(code string, ps []Petitioner) ([]byte, error) {
	b, err := json.Marshal(ps)
	if err != nil {
		return nil, err
	}
	return s.SealBytes(code, b), nil
}

// Open opens a case's sealed petitioners.
func (s *Sealer) Open(code string, sealed []byte) ([]Petitioner, error) {
	b, err := s.OpenBytes(code, sealed)
	if err != nil {
		return nil, err
	}
	var ps []Petitioner
	if err := json.Unmarshal(b, &ps); err != nil {
		return nil, err
	}
	return ps, nil
}

// Hidden is a petitioner as everyone but the handlers sees them.
func Hidden(ps []Petitioner) []Petitioner {
	out := make([]Petitioner, len(ps))
	for i, p := range ps {
		out[i] = Petitioner{Name: Secret, Group: p.Group, Anonymous: p.Anonymous}
		if p.IDNumber != "" {
			out[i].IDNumber = Secret
		}
		if p.Address != "" {
			out[i].Address = Secret
		}
		if p.Phone != "" {
			out[i].Phone = Secret
		}
	}
	return out
}
