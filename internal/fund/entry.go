package fund

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mattran/internal/errs"
	"mattran/internal/vn"
)

// EntryKind is what an entry does to the balances.
type EntryKind string

const (
	Receipt      EntryKind = "receipt"      // money in: a donation (phiếu thu)
	Disbursement EntryKind = "disbursement" // money out to a household or a unit (phiếu chi), approved by a leader
	Transfer     EntryKind = "transfer"     // money moved from one level's fund to another's (điều chuyển)
)

// Label is the kind as the ledger writes it.
func (k EntryKind) Label() string {
	switch k {
	case Receipt:
		return "Thu"
	case Disbursement:
		return "Chi"
	case Transfer:
		return "Điều chuyển"
	}
	return string(k)
}

// Channels of a receipt.
const (
	Cash     = "cash"
	BankWire = "transfer"
)

// Donor kinds.
const (
	Person       = "person"
	Organisation = "organisation"
	Anonymous    = "anonymous"
)

// Purposes of a disbursement.
var Purposes = []string{"house", "tet_gift", "medical", "education", "relief", "livelihood", "other"}

// PurposeLabel is a purpose as the pages write it.
func PurposeLabel(p string) string {
	switch p {
	case "house":
		return "Xây, sửa nhà"
	case "tet_gift":
		return "Quà Tết"
	case "medical":
		return "Khám chữa bệnh"
	case "education":
		return "Học tập"
	case "relief":
		return "Cứu trợ"
	case "livelihood":
		return "Sinh kế"
	case "other":
		return "Khác"
	}
	return p
}

// Limits on an entry.
const (
	MaxAmount = 1_000_000_000_000_000 // 10^15 đồng: beyond any fund, within float64's exact range
	MaxText   = 500                   // characters of a name, description or note
)

// Entry is one line of the ledger. Entries are appended and never changed:
// a correction is a reversing entry (Reverses names the original, Amount
// is its opposite). Hash chains the entry to the one before it.
type Entry struct {
	ID          int64     `json:"id"`
	CampaignID  int64     `json:"campaign"`
	UnitID      int64     `json:"-"`                  // whose books: the receiving unit, the paying unit, the sending unit
	ToUnitID    int64     `json:"-"`                  // a transfer's receiving unit; a disbursement to a unit
	Kind        EntryKind `json:"kind"`               //
	Day         string    `json:"date"`               // the value date, YYYY-MM-DD
	Amount      int64     `json:"amount"`             // đồng; negative in a reversal
	Channel     string    `json:"channel"`            // cash, transfer
	DocNo       string    `json:"docNo"`              // receipt number, voucher number, bank document number
	DonorKind   string    `json:"donorKind"`          //
	Donor       string    `json:"donor"`              // the donor, or the beneficiary of a disbursement
	Description string    `json:"description"`        // as given (bank statement content); shown masked
	Purpose     string    `json:"purpose"`            // a disbursement's purpose
	HouseholdID int64     `json:"household"`          // a disbursement's household
	Reverses    int64     `json:"reverses"`           // the entry this one reverses
	RequestID   int64     `json:"request"`            // the disbursement request it carries out
	EnteredBy   string    `json:"enteredBy"`          //
	ApprovedBy  string    `json:"approvedBy"`         //
	RecordedAt  time.Time `json:"recordedAt"`         // when it was written (the transaction's clock)
	PrevHash    string    `json:"prevHash,omitempty"` // set by Seal; not stored: the previous entry holds it
	Hash        string    `json:"hash"`               //
	StatementID int64     `json:"statement"`          // the bank statement row it came from
	Search      string    `json:"-"`                  // the folded, masked text the public search reads
}

// Effects are an entry's effects on the balances of its units.
func (e Entry) Effects() (unitDelta, toDelta int64) {
	switch e.Kind {
	case Receipt:
		return e.Amount, 0
	case Disbursement:
		return -e.Amount, 0
	case Transfer:
		return -e.Amount, e.Amount
	}
	return 0, 0
}

// TimeFormat is how RecordedAt enters the hash and the database: UTC to
// the microsecond, which both engines keep exactly.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// HashOf is an entry's hash: SHA-256 over the previous hash and every
// field that says what happened, in a fixed order, each length-prefixed so
// that no two entries write the same bytes. The bytes are gathered in one
// buffer (on the stack for most entries) and hashed at once: an import
// hashes a million entries (TestHashesAreStable holds the result).
func HashOf(prev string, e Entry) string {
	var stack [512]byte
	p := preimage(stack[:0])
	p = p.field("mattran-ledger-v1")
	p = p.field(prev)
	p = p.num(e.ID)
	p = p.num(e.CampaignID)
	p = p.num(e.UnitID)
	p = p.num(e.ToUnitID)
	p = p.field(string(e.Kind))
	p = p.field(e.Day)
	p = p.num(e.Amount)
	p = p.field(e.Channel)
	p = p.field(e.DocNo)
	p = p.field(e.DonorKind)
	p = p.field(e.Donor)
	p = p.field(e.Description)
	p = p.field(e.Purpose)
	p = p.num(e.HouseholdID)
	p = p.num(e.Reverses)
	p = p.num(e.RequestID)
	p = p.num(e.StatementID)
	p = p.field(e.EnteredBy)
	p = p.field(e.ApprovedBy)
	var t [40]byte
	p = p.bytes(e.RecordedAt.UTC().AppendFormat(t[:0], TimeFormat))
	sum := sha256.Sum256(p)
	return hex.EncodeToString(sum[:])
}

// preimage is what HashOf hashes: each field as its length in decimal,
// ':', the field, ';'.
type preimage []byte

func (p preimage) field(s string) preimage {
	p = strconv.AppendInt(p, int64(len(s)), 10)
	p = append(p, ':')
	p = append(p, s...)
	return append(p, ';')
}

func (p preimage) bytes(b []byte) preimage {
	p = strconv.AppendInt(p, int64(len(b)), 10)
	p = append(p, ':')
	p = append(p, b...)
	return append(p, ';')
}

func (p preimage) num(n int64) preimage {
	var d [20]byte
	return p.bytes(strconv.AppendInt(d[:0], n, 10))
}

// Seal gives e its place in the chain after prev: its id, the previous
// hash and its own hash, and its search key.
func Seal(e *Entry, id int64, prev string) {
	e.ID, e.PrevHash = id, prev
	e.RecordedAt = e.RecordedAt.UTC().Truncate(time.Microsecond)
	e.Hash = HashOf(prev, *e)
	e.Search = SearchKey(e.Donor, e.Description, e.DocNo)
}

// SearchKey is the text the public search matches: the donor, the masked
// description and the document number, folded (no diacritics, đ as d,
// lower case), so "nguyen van" finds "Nguyễn Văn". It is built from the
// masked description, so a search for a phone number finds nothing.
func SearchKey(donor, description, docNo string) string {
	return vn.Fold(donor + " | " + Mask(description) + " | " + docNo)
}

// Break is where verification found the chain broken.
type Break struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"` // in Vietnamese
}

// Verifier recomputes the chain entry by entry, in id order.
type Verifier struct {
	prev  string
	last  int64
	count int64
	Break *Break
	heads map[int64]string // id → hash, for the digests (only the ids asked for)
}

// NewVerifier starts a verification; want lists the ids whose hashes the
// daily digests published, to be checked after.
func NewVerifier(want []int64) *Verifier {
	v := &Verifier{heads: map[int64]string{}}
	for _, id := range want {
		v.heads[id] = ""
	}
	return v
}

// Next checks one entry as stored. It returns false at the first break.
func (v *Verifier) Next(e Entry) bool {
	if v.Break != nil {
		return false
	}
	v.count++
	switch {
	case e.ID != v.last+1:
		v.Break = &Break{ID: e.ID, Reason: "thiếu bút toán số " + strconv.FormatInt(v.last+1, 10) + " (bị xóa?)"}
	case HashOf(v.prev, e) != e.Hash:
		// The hash covers the entry and the previous entry's hash, read
		// from that entry (not stored twice): an entry edited, or the one
		// before it rehashed by a forger, breaks here.
		v.Break = &Break{ID: e.ID, Reason: "bút toán " + strconv.FormatInt(e.ID, 10) + " không khớp mã băm tính từ bút toán " + strconv.FormatInt(v.last, 10) +
			": bút toán " + strconv.FormatInt(e.ID, 10) + " đã bị sửa, hoặc bút toán " + strconv.FormatInt(v.last, 10) + " bị sửa rồi băm lại"}
	}
	if v.Break != nil {
		return false
	}
	if _, ok := v.heads[e.ID]; ok {
		v.heads[e.ID] = e.Hash
	}
	v.prev, v.last = e.Hash, e.ID
	return true
}

// Count is the entries checked.
func (v *Verifier) Count() int64 { return v.count }

// Digest is a day's published head of the chain: the last entry written
// that day (Vietnam time) and its hash. Anyone who copied it can later
// check that nothing before it changed.
type Digest struct {
	Day     string `json:"date"`
	LastID  int64  `json:"lastEntry"`
	Entries int64  `json:"entries"` // written that day
	Head    string `json:"hash"`
}

// CheckDigest compares a published digest with the recomputed chain.
func (v *Verifier) CheckDigest(d Digest) bool {
	if v.Break != nil {
		return false
	}
	if got, ok := v.heads[d.LastID]; !ok || got != d.Head {
		v.Break = &Break{ID: d.LastID, Reason: "bản tóm tắt ngày " + d.Day + " không khớp chuỗi mã băm"}
		return false
	}
	return true
}

// checkText bounds and cleans a free-text field.
func checkText(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if n := utf8.RuneCountInString(s); n > MaxText {
		return "", &errs.Error{Code: errs.Invalid, Message: "Bút toán chưa hợp lệ.",
			Details: []errs.Detail{{Field: field, Code: errs.FundTextTooLong, Args: errs.Args{Number: float64(n), Max: MaxText}}}}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", &errs.Error{Code: errs.Invalid, Message: "Bút toán chưa hợp lệ.",
			Details: []errs.Detail{{Field: field, Code: errs.FundNulInText}}}
	}
	return s, nil
}
