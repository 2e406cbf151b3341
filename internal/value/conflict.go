package value

import (
	"time"

	"mattran/internal/errs"
)

// Loaded is a value as an entry form showed it when it was opened: the
// number, or none stored. A write carrying it is refused if the stored
// value changed since, so a second editor never silently replaces the
// first one's figure.
type Loaded struct {
	Value   float64
	Present bool
}

// ConflictError refuses a write because what it would replace changed
// after the writer loaded it. It carries both sides, so the form can show
// them; nothing of the write was applied.
type ConflictError struct {
	err       *errs.Error
	Values    []Conflict
	Narrative *TextConflict
}

func (e *ConflictError) Error() string { return e.err.Error() }
func (e *ConflictError) Unwrap() error { return e.err }

// Conflict is one figure someone else changed meanwhile.
type Conflict struct {
	Line    int     // the row of the write
	Stored  float64 // what is stored now
	Present bool    // false if nothing is stored
	By      string  // who stored it
	At      time.Time
	Yours   float64 // what this write would have stored
}

// TextConflict is a report text someone else changed meanwhile.
type TextConflict struct {
	Stored, By string
	At         time.Time
}

// NewConflict builds the error for the figures and the text that changed.
func NewConflict(values []Conflict, text *TextConflict) *ConflictError {
	n := len(values)
	if text != nil {
		n++
	}
	return &ConflictError{
		err:    errs.New(errs.Conflict, "Có %d ô đã được người khác sửa sau khi bạn mở biểu mẫu. Chưa có gì được ghi: hãy xem hai giá trị bên dưới, giữ giá trị nào thì để ở ô đó, rồi lưu lại.", n),
		Values: values, Narrative: text,
	}
}
