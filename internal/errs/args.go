package errs

// Reason says why one row, cell or field was refused: one code per
// distinct reason, listed in reasons.go, each with its text in text.go.
type Reason string

// Args are what a detail's text names: the element, the unit, the period,
// the text given, the numbers involved. Each Reason uses a few of them; the
// API sends them as they are, beside the rendered message.
type Args struct {
	Element     string `json:"element,omitzero"`     // a data element's code
	ElementName string `json:"elementName,omitzero"` // and its name
	Unit        string `json:"unit,omitzero"`        // a unit's code
	UnitName    string `json:"unitName,omitzero"`    // and its name
	Kind        string `json:"kind,omitzero"`        // a unit kind: province, commune, …
	KindName    string `json:"kindName,omitzero"`    // and its Vietnamese label
	Period      string `json:"period,omitzero"`      // a period code: 2024, 2024Q4, 202409
	PeriodType  string `json:"periodType,omitzero"`  // monthly, quarterly, sixmonthly, yearly
	Program     string `json:"program,omitzero"`     // a program's code
	Target      string `json:"target,omitzero"`      // a target's code (T2.1)
	FormName    string `json:"formName,omitzero"`    // a report form's name
	// Text is what was given, as given: a code that matches nothing, a
	// number as typed, a cell's text.
	Text string `json:"text,omitzero"`
	// Number is the number given or involved; Min and Max the bounds it
	// breaks (a length limit, the whole a part may not exceed).
	Number float64 `json:"number,omitzero"`
	Min    float64 `json:"min,omitzero"`
	Max    float64 `json:"max,omitzero"`
	// Date is a day, From and To a validity interval, all YYYY-MM-DD; an
	// empty From or To is open ("trước đây", "nay").
	Date string `json:"date,omitzero"`
	From string `json:"from,omitzero"`
	To   string `json:"to,omitzero"`
	// Found and Want are the kinds of value a program file has at a field
	// and the kind the field takes.
	Found Shape `json:"found,omitzero"`
	Want  Shape `json:"want,omitzero"`
	// Row and Index point at another row of the same input (in Other).
	Row   int `json:"row,omitzero"`
	Index int `json:"index,omitzero"`
	// Other is the other side: the whole a part exceeds, the parent a unit
	// must fit in, the earlier row a duplicate repeats.
	Other *Args `json:"other,omitzero"`
}

// Shape is a kind of value in a program file.
type Shape string

const (
	ShapeText    Shape = "text"
	ShapeNumber  Shape = "number"
	ShapeInteger Shape = "integer"
	ShapeBoolean Shape = "boolean"
	ShapeList    Shape = "list"
	ShapeSection Shape = "section" // a mapping: a section with fields of its own
)
