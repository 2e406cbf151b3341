// Package casework is the follow-up engine (vụ việc, đơn thư): everything
// the Front sends to an agency and must chase until it is answered. A
// petition (khiếu nại, tố cáo, kiến nghị, phản ánh), a supervision
// recommendation, a social-criticism opinion and a voter's opinion are all
// one Case, told apart by their Kind; what differs between kinds is a row
// of the kinds table (which deadline rules apply, whether the petitioners'
// identity is protected), so a new kind (the inspection recommendations)
// is one more row and touches nothing else.
//
// The package holds the rules and the workflow and no SQL: it declares the
// transaction it needs (Tx), which *store.Tx implements.
package casework

import "slices"

// Kind is the kind of a case.
type Kind string

const (
	Complaint      Kind = "khieu_nai" // khiếu nại
	Denunciation   Kind = "to_cao"    // tố cáo
	Recommendation Kind = "kien_nghi" // kiến nghị
	Reflection     Kind = "phan_anh"  // phản ánh
	SupervisionRec Kind = "giam_sat"  // kiến nghị sau giám sát
	CriticismRec   Kind = "phan_bien" // ý kiến phản biện xã hội, góp ý dự thảo
	VoterOpinion   Kind = "cu_tri"    // ý kiến, kiến nghị cử tri
	InspectionRec  Kind = "kiem_tra"  // kiến nghị sau kiểm tra hằng năm
)

// Family groups kinds by where they come from: petitions are filed by
// citizens; the others come out of an activity of the Front.
type Family string

const (
	Petition    Family = "petition"
	Supervision Family = "supervision"
	Criticism   Family = "criticism"
	Voter       Family = "voter"
	Inspection  Family = "inspection"
)

// KindInfo is one row of the kinds table.
type KindInfo struct {
	Kind   Kind
	Label  string // for users
	Family Family
	// Intake is the rule the Front's own handling of a newly received
	// case keeps (answer the citizen, forward), counted from receipt;
	// empty when the case is sent to its agency as it is created.
	Intake string
	// Answer are the rules, one after another, that make the date by
	// which the agency's answer is due, counted from the day the case is
	// sent to it.
	Answer []string
	// Protected: the petitioners' identity is sealed (Luật Tố cáo 2018,
	// Điều 8 khoản 3 và Điều 47).
	Protected bool
	// Public: citizens may file this kind on the public page.
	Public bool
}

var kinds = []KindInfo{
	{Kind: Complaint, Label: "Khiếu nại", Family: Petition, Intake: RuleReception,
		Answer: []string{RuleComplaintAccept, RuleComplaintDecide, RuleComplaintReport}, Public: true},
	{Kind: Denunciation, Label: "Tố cáo", Family: Petition, Intake: RuleDenunciationForward,
		Answer: []string{RuleDenunciationInitial, RuleDenunciationResolve, RuleDenunciationNotify}, Protected: true, Public: true},
	{Kind: Recommendation, Label: "Kiến nghị", Family: Petition, Intake: RuleReception,
		Answer: []string{RulePetitionAnswer}, Public: true},
	{Kind: Reflection, Label: "Phản ánh", Family: Petition, Intake: RuleReception,
		Answer: []string{RulePetitionAnswer}, Public: true},
	{Kind: SupervisionRec, Label: "Kiến nghị sau giám sát", Family: Supervision, Answer: []string{RuleSupervisionAnswer}},
	{Kind: CriticismRec, Label: "Ý kiến phản biện, góp ý", Family: Criticism, Answer: []string{RuleCriticismAnswer}},
	{Kind: VoterOpinion, Label: "Ý kiến, kiến nghị cử tri", Family: Voter, Answer: []string{RuleVoterAnswer}},
	{Kind: InspectionRec, Label: "Kiến nghị sau kiểm tra", Family: Inspection, Answer: []string{RuleInspectionDone}},
}

// Kinds returns the kinds table, in its order.
func Kinds() []KindInfo { return slices.Clone(kinds) }

// Lookup returns a kind's row.
func Lookup(k Kind) (KindInfo, bool) {
	i := slices.IndexFunc(kinds, func(x KindInfo) bool { return x.Kind == k })
	if i < 0 {
		return KindInfo{}, false
	}
	return kinds[i], true
}

// Label is the kind's name for users, or the code itself if unknown.
func (k Kind) Label() string {
	if ki, ok := Lookup(k); ok {
		return ki.Label
	}
	return string(k)
}

// KindsOf returns the kinds of a family.
func KindsOf(f Family) []Kind {
	var out []Kind
	for _, k := range kinds {
		if k.Family == f {
			out = append(out, k.Kind)
		}
	}
	return out
}

// Channel is how a petition arrived.
type Channel string

const (
	InPerson     Channel = "truc_tiep"
	Post         Channel = "buu_dien"
	Email        Channel = "email"
	Forwarded    Channel = "co_quan_chuyen"
	Online       Channel = "truc_tuyen"
	FromActivity Channel = "hoat_dong" // out of a supervision, a meeting, a draft
)

var channels = []struct {
	C     Channel
	Label string
}{
	{InPerson, "Trực tiếp"}, {Post, "Qua bưu điện"}, {Email, "Thư điện tử"},
	{Forwarded, "Cơ quan, tổ chức khác chuyển đến"}, {Online, "Trực tuyến"}, {FromActivity, "Từ hoạt động của Mặt trận"},
}

// Channels lists the channels in form order.
func Channels() []Channel {
	out := make([]Channel, len(channels))
	for i, c := range channels {
		out[i] = c.C
	}
	return out
}

// Label is the channel's name for users.
func (c Channel) Label() string {
	for _, x := range channels {
		if x.C == c {
			return x.Label
		}
	}
	return string(c)
}

// Fields are the subject areas (lĩnh vực) a case is classified under.
var Fields = []struct{ Code, Label string }{
	{"dat_dai", "Đất đai"}, {"chinh_sach", "Chế độ, chính sách"}, {"tham_nhung", "Tham nhũng, tiêu cực"},
	{"moi_truong", "Môi trường"}, {"tu_phap", "Tư pháp"}, {"xay_dung", "Xây dựng, đô thị"},
	{"an_sinh", "An sinh xã hội"}, {"hanh_chinh", "Hành chính"}, {"khac", "Khác"},
}

// FieldLabel is a field's name for users.
func FieldLabel(code string) string {
	for _, f := range Fields {
		if f.Code == code {
			return f.Label
		}
	}
	return code
}

func validField(code string) bool {
	for _, f := range Fields {
		if f.Code == code {
			return true
		}
	}
	return false
}
