package errs

// Every reason a row, cell or field can be refused for. Each has its text
// in text.go; TestCatalogue fails for a reason without one.

// A data value (value.Resolve, value.ParseNumber, value.CheckParts, and
// the store's checks of a write).
const (
	MissingElement     Reason = "missing_element"        // no dataElement
	UnknownElement     Reason = "unknown_element"        // Text: the code given
	BadPeriod          Reason = "bad_period"             // Text: the period given
	WrongPeriodType    Reason = "wrong_period_type"      // Element, PeriodType (the element's), Period (given)
	PeriodNotStarted   Reason = "period_not_started"     // Period
	MissingUnit        Reason = "missing_unit"           // no orgUnit
	UnknownUnit        Reason = "unknown_unit"           // Unit (the code given), Period
	NotCollectedAtKind Reason = "not_collected_at_level" // Element, Kind, KindName, UnitName
	OutOfScope         Reason = "out_of_scope"           // Unit, UnitName
	Locked             Reason = "locked"                 // Period, UnitName
	DuplicateConflict  Reason = "duplicate_conflict"     // Other: Row, Index of the first
	MissingValue       Reason = "missing_value"
	NotBoolean         Reason = "not_boolean"         // Element, Text
	NotYesNo           Reason = "not_yes_no"          // Element, Text
	NotExchangeNumber  Reason = "not_exchange_number" // Element, Text: not a number with a decimal dot
	Negative           Reason = "negative"            // Element, Text, Number
	TooLarge           Reason = "too_large"           // Element, Text, Number
	NotWhole           Reason = "not_whole"           // Element, Text, Number
	PercentRange       Reason = "percent_range"       // Element, Text, Number
	PartExceedsWhole   Reason = "part_exceeds_whole"  // Element, Number, UnitName, Period; Other: Element, Number (the whole)
	WholeBelowPart     Reason = "whole_below_part"    // Element, Number, UnitName, Period; Other: Element, Number (the part)
	DerivedElement     Reason = "derived_element"     // Element, Text: its source (derived:<module>)
	HeldBySentReport   Reason = "held_by_sent_report" // Element, UnitName, Period; Other: UnitName (who sent the report)
	// FieldText: a module's form field, its Vietnamese text in Text
	// (casework's intake, whose messages are its own).
	FieldText Reason = "field_text"
)

// A number or a date typed by a user (a web form, an Excel text cell).
const (
	NotANumber          Reason = "not_a_number"            // Text
	AmbiguousThousands  Reason = "ambiguous_thousands"     // Text: "1,000" in a whole-number field
	BadDate             Reason = "bad_date"                // Text
	NoSuchDate          Reason = "no_such_date"            // Text: 31/02/2025
	DeadlineBeforeStart Reason = "deadline_before_start"   // Date, Period
	MissingReason       Reason = "missing_reason"          // returning or reopening a report
	MissingOverride     Reason = "missing_override_reason" // an admin deciding in the place of the level above
	PasswordTooShort    Reason = "password_too_short"      // Min
)

// An exchange file: DHIS2 dataValueSets JSON and CSV.
const (
	JSONSyntax        Reason = "json_syntax"        // Text: the character found
	JSONTruncated     Reason = "json_truncated"     // the data ends inside an object or array
	JSONNotObject     Reason = "json_not_object"    // the top is not {"dataValues": [...]}
	JSONTrailing      Reason = "json_trailing"      // something after the last }
	JSONTooDeep       Reason = "json_too_deep"      // Max: arrays or objects nested deeper than that
	ValuesNotArray    Reason = "values_not_array"   // "dataValues" is not an array
	MissingValues     Reason = "missing_values"     // no "dataValues"
	ValueNotObject    Reason = "value_not_object"   // an item of dataValues is not an object
	DeleteUnsupported Reason = "delete_unsupported" // "deleted": true
	FieldNotText      Reason = "field_not_text"     // Field: not a string or a number
	TopFieldNotText   Reason = "top_field_not_text" // Field: a top-level period or orgUnit not a string
	TooLong           Reason = "too_long"           // Field, Number (its length), Max
	StringTooLong     Reason = "string_too_long"    // Max (bytes): a JSON string
	LineTooLong       Reason = "line_too_long"      // Max (bytes): a CSV line
	CSVQuote          Reason = "csv_quote"          // Number: the column; a stray or missing "
	CSVSyntax         Reason = "csv_syntax"         // Text: the reader's reason
	MissingColumn     Reason = "missing_column"     // Text: the column; Other: Text (the columns needed)
	TooManyCells      Reason = "too_many_cells"     // Number (cells), Max (the header's)
	UnknownColumn     Reason = "unknown_column"     // Text; Other: Text (the columns known)
	RepeatedColumn    Reason = "repeated_column"    // Text
)

// An Excel upload (sheet.Parse).
const (
	UnitRepeated       Reason = "unit_repeated"        // Unit; Other: Row
	RowAdded           Reason = "row_added"            // a row the template did not have
	UnitCodeDeleted    Reason = "unit_code_deleted"    // Unit
	UnitCodeChanged    Reason = "unit_code_changed"    // Unit (the template's), Text (the cell's)
	UnitNotInSheet     Reason = "unit_not_in_sheet"    // Unit
	ElementCodeChanged Reason = "element_code_changed" // Element, Text
	ElementNotInForm   Reason = "element_not_in_form"  // Element, FormName
	CellUnreadable     Reason = "cell_unreadable"
	CellError          Reason = "cell_error"           // Text: #DIV/0!, #REF!, …
	FormulaNotComputed Reason = "formula_not_computed" // a formula without a saved result
	BooleanCell        Reason = "boolean_cell"         // a TRUE/FALSE cell for a number
	NotZeroOrOne       Reason = "not_zero_or_one"      // Element, Number
)

// A units file (unit.Parse) and its import plan (unit.PlanImport).
const (
	UnitsJSONSyntax    Reason = "units_json_syntax"
	UnitsJSONType      Reason = "units_json_type"   // Field
	BadDataDate        Reason = "bad_data_date"     // Text
	MergeThirdLevel    Reason = "merge_third_level" // a merge mapping with a third level
	BadKind            Reason = "bad_kind"          // Text
	BadBoolean         Reason = "bad_boolean"       // Text
	UnitCodeMissing    Reason = "unit_code_missing"
	UnitCodeInvalid    Reason = "unit_code_invalid"  // Unit, Max
	UnitNameMissing    Reason = "unit_name_missing"  // Unit
	UnitNameTooLong    Reason = "unit_name_too_long" // Unit, Max (bytes)
	CentralNotImported Reason = "central_not_imported"
	ParentNotBefore    Reason = "parent_not_before" // Unit: the parent's code
	KindNotUnder       Reason = "kind_not_under"    // Kind, KindName; Other: Kind, KindName (the parent's)
	ParentRequired     Reason = "parent_required"   // Unit, Kind
	BadISODate         Reason = "bad_iso_date"      // Text
	BadSuccession      Reason = "bad_succession"    // Text, Unit (the old unit's code)
	OldCodeMissing     Reason = "old_code_missing"
	CodeRepeated       Reason = "code_repeated"       // Unit
	VersionRepeated    Reason = "version_repeated"    // Unit, From
	ParentNotFound     Reason = "parent_not_found"    // Unit: the parent's code, Date
	EndsBeforeList     Reason = "ends_before_list"    // Unit, To, Date
	OutsideListDate    Reason = "outside_list_date"   // Unit, From, To, Date
	OutsideParent      Reason = "outside_parent"      // Unit, From, To; Other: Unit, From, To (the parent)
	ParentChanged      Reason = "parent_changed"      // Unit
	TooManyMerges      Reason = "too_many_merges"     // Number (given), Max
	MergesNeedStart    Reason = "merges_need_start"   // Unit
	OldUnitNotValid    Reason = "old_unit_not_valid"  // Unit (the old code), Date
	OldUnitOtherKind   Reason = "old_unit_other_kind" // Unit, Kind, KindName (the old); Other: Unit, Kind, KindName (the new)
	StartChanged       Reason = "start_changed"       // Unit, From (stored)
	EndsBeforeStart    Reason = "ends_before_start"   // From, To
	CodeTaken          Reason = "code_taken"          // Unit, UnitName, From, To; Other: UnitName, From, To
)

// A program file (program.Parse) and the one validation of a program.
const (
	YAMLUnknownField        Reason = "yaml_unknown_field" // Text: the key
	YAMLWrongShape          Reason = "yaml_wrong_shape"   // Found, Want, Text (a scalar found)
	YAMLDuplicateKey        Reason = "yaml_duplicate_key" // Text: the key; Other: Row (its first)
	YAMLTab                 Reason = "yaml_tab"           // a tab in the indentation
	YAMLTruncated           Reason = "yaml_truncated"     // the file ends mid-way
	YAMLSyntax              Reason = "yaml_syntax"        // Text: the parser's own words
	ProgramCodeMissing      Reason = "program_code_missing"
	ProgramCodeInvalid      Reason = "program_code_invalid" // Text
	ParentCodeMissing       Reason = "parent_program_code_missing"
	ExampleNoteTooLong      Reason = "example_note_too_long" // Max (bytes)
	RuleNoWeight            Reason = "rule_no_weight"        // a rule that weighs by nothing was given a weight
	RuleNeedsWeight         Reason = "rule_needs_weight"     // Text: what to count (số hộ, dân số)
	RuleBadWeight           Reason = "rule_bad_weight"       // Element
	RuleUnknown             Reason = "rule_unknown"          // Text
	ExampleNoteBlank        Reason = "example_note_blank"
	ContinuesCodeMissing    Reason = "continues_code_missing"
	ContinuesCodeInvalid    Reason = "continues_code_invalid" // Text
	ContinuesItself         Reason = "continues_itself"
	TargetContinuesAlone    Reason = "target_continues_alone" // Target, Text: the target it continues
	PrevTargetCodeMissing   Reason = "prev_target_code_missing"
	PrevTargetCodeInvalid   Reason = "prev_target_code_invalid"    // Text
	ParentCodeInvalid       Reason = "parent_program_code_invalid" // Text
	SubprogramCodeMissing   Reason = "subprogram_code_missing"
	SubprogramCodeInvalid   Reason = "subprogram_code_invalid" // Text
	ElementCodeMissing      Reason = "element_code_missing"
	ElementCodeInvalid      Reason = "element_code_invalid" // Text
	TargetCodeMissing       Reason = "target_code_missing"
	TargetCodeInvalid       Reason = "target_code_invalid" // Text
	ProgramNameMissing      Reason = "program_name_missing"
	OwnerUnitMissing        Reason = "owner_unit_missing"
	SubprogramNameMissing   Reason = "subprogram_name_missing"
	ElementNameMissing      Reason = "element_name_missing"
	TargetNameMissing       Reason = "target_name_missing"
	MeasureMissing          Reason = "measure_missing"
	ConditionLabelMissing   Reason = "condition_label_missing"
	TaskSubprogramMissing   Reason = "task_subprogram_missing"
	NameTooLong             Reason = "name_too_long"       // Number (characters), Max
	TextTooLong             Reason = "text_too_long"       // Number (characters), Max
	TermFromInvalid         Reason = "term_from_invalid"   // Number
	TermToInvalid           Reason = "term_to_invalid"     // Number, Min (the first year)
	DenominatorUnknown      Reason = "denominator_unknown" // Element: the denominator named
	DenominatorSelf         Reason = "denominator_self"
	DenominatorPeriod       Reason = "denominator_period" // Element, PeriodType (the denominator's); Other: PeriodType (the numerator's)
	SubprogramsMissing      Reason = "subprograms_missing"
	SubprogramRepeated      Reason = "subprogram_repeated" // Text
	ObjectivesMissing       Reason = "objectives_missing"
	TargetRepeated          Reason = "target_repeated"     // Target
	ElementRepeated         Reason = "element_repeated"    // Element
	ValueTypeInvalid        Reason = "value_type_invalid"  // Text
	AggregationInvalid      Reason = "aggregation_invalid" // Text
	PeriodTypeInvalid       Reason = "period_type_invalid" // Text
	KindsMissing            Reason = "kinds_missing"
	SourceInvalid           Reason = "source_invalid"      // Text
	TypedUntilInvalid       Reason = "typed_until_invalid" // Number
	ObjectiveMissing        Reason = "objective_missing"   // Number, Max (the sub-program's objectives)
	ConditionsMissing       Reason = "conditions_missing"
	ScopeInvalid            Reason = "scope_invalid" // Text
	CountAndRatio           Reason = "count_and_ratio"
	CountOrRatioMissing     Reason = "count_or_ratio_missing"
	RatioIncomplete         Reason = "ratio_incomplete"
	ConditionElementUnknown Reason = "condition_element_unknown" // Element
	ConditionElementLonger  Reason = "condition_element_longer"  // Element, PeriodType (the element's); Other: PeriodType (the target's)
	ThresholdMissing        Reason = "threshold_missing"         // Text: the comparator
	ThresholdInvalid        Reason = "threshold_invalid"         // Number
	ThresholdUnused         Reason = "threshold_unused"          // Text: the comparator
	ComparatorInvalid       Reason = "comparator_invalid"        // Text
	OwnThresholdsInRoot     Reason = "own_thresholds_in_root"
	OwnTasksInRoot          Reason = "own_tasks_in_root"
	DerivesItself           Reason = "derives_itself"
	DerivedSubprograms      Reason = "derived_subprograms"
	DerivedElements         Reason = "derived_elements"
	ThresholdTargetMissing  Reason = "threshold_target_missing"
	ConditionNumberInvalid  Reason = "condition_number_invalid" // Number
	OwnThresholdRepeated    Reason = "own_threshold_repeated"   // Target
	UnknownTarget           Reason = "unknown_target"           // Program, Target
	UnknownSubprogram       Reason = "unknown_subprogram"       // Program, Text

	// A derived program's own thresholds, quotas and tasks, typed in the
	// cascade pages or read from its file. Text is a threshold as the
	// program writes it ("≥ 90%", "≥ 50 tỷ đồng").
	NoSuchCondition      Reason = "no_such_condition" // Target, Number (1-based)
	ThresholdFixed       Reason = "threshold_fixed"   // Text
	AmountNotNumber      Reason = "amount_not_number"
	ThresholdNegative    Reason = "threshold_negative"
	QuotaNegative        Reason = "quota_negative"
	PercentOver100       Reason = "percent_over_100"
	MoneyNotWhole        Reason = "money_not_whole"
	ThresholdNotWhole    Reason = "threshold_not_whole"
	QuotaNotWhole        Reason = "quota_not_whole"
	BelowCommonThreshold Reason = "below_common_threshold" // Text: the program's threshold
	AboveCommonThreshold Reason = "above_common_threshold" // Text
	BelowQuota           Reason = "below_quota"            // Text: the quota assigned
	AboveQuota           Reason = "above_quota"            // Text
	NotQuotaTarget       Reason = "not_quota_target"       // Target
	TaskEmpty            Reason = "task_empty"
)
