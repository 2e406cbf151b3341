package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/clock"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

var officer = audit.Actor{Name: "canbo.thoxuong"}

func at(day string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", clock.Zone)
	return t
}

func figure(t *testing.T, s *store.Store, code, period string, u unit.Unit) float64 {
	t.Helper()
	var v float64
	err := s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id
		WHERE e.code = $1 AND v.period = $2 AND v.unit_path = $3`, code, period, u.Path).Scan(&v)
	if err != nil {
		t.Fatalf("%s %s %s: %v", code, period, u.Code, err)
	}
	return v
}

func openCase(t *testing.T, s *store.Store, u unit.Unit, in casework.Intake, sealer *casework.Sealer) casework.Case {
	t.Helper()
	var c casework.Case
	err := s.WithTx(context.Background(), func(tx *store.Tx) error {
		var err error
		c, err = casework.Open(context.Background(), tx, officer, officer.Name, u, in, sealer)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func act(t *testing.T, s *store.Store, id int64, a casework.Action) casework.Case {
	t.Helper()
	var c casework.Case
	err := s.WithTx(context.Background(), func(tx *store.Tx) error {
		var err error
		c, err = casework.Act(context.Background(), tx, officer, id, a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A commune's petitions from intake to answer, and T3.4 as they move:
// answered in writing over answered plus open past the deadline, the
// latter noticed by the overdue job as days pass.
func TestCaseWorkflow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		storetest.Fixture(t, s)
		now := at("2024-11-20")
		s.Clock = func() time.Time { return now }
		commune, err := s.UnitAt(ctx, "07201", "2024-11-20")
		if err != nil {
			t.Fatal(err)
		}
		d := calendar.MustParseDate
		a := openCase(t, s, commune, casework.Intake{Kind: casework.Complaint, Received: d("2024-10-01"), Channel: casework.InPerson,
			Field: "dat_dai", Content: "Khiếu nại quyết định thu hồi đất của hộ ông Nguyễn Văn An tại thôn 3",
			Petitioners: []casework.Petitioner{{Name: "Nguyễn Văn An", IDNumber: "024080000123", Address: "Thôn 3, Thọ Xương"}}}, nil)
		// 10 working days from Tuesday 1/10/2024: Tuesday 15/10.
		if a.Due.String() != "2024-10-15" || a.Status != casework.Received {
			t.Fatalf("intake: due %s, status %s", a.Due, a.Status)
		}
		a = act(t, s, a.ID, casework.Action{Name: casework.Forward, On: d("2024-10-03"), Agency: "UBND thành phố Bắc Giang", DispatchNo: "12/MTTQ"})
		if a.Status != casework.Sent || a.Due.IsZero() {
			t.Fatalf("forwarded: %+v", a)
		}
		a = act(t, s, a.ID, casework.Action{Name: casework.Answer, On: d("2024-10-25"), InWriting: true, Summary: "Đã giải quyết", Published: true})
		b := openCase(t, s, commune, casework.Intake{Kind: casework.Recommendation, Received: d("2024-07-30"), Channel: casework.Post,
			Field: "moi_truong", Content: "Kiến nghị xử lý ô nhiễm từ cơ sở chăn nuôi gần trường học",
			Petitioners: []casework.Petitioner{{Name: "Nhóm hộ dân thôn 5", Group: true, Members: 12}}}, nil)
		b = act(t, s, b.ID, casework.Action{Name: casework.Forward, On: d("2024-08-01"), Agency: "Phòng Tài nguyên và Môi trường"})
		if !b.Overdue(d("2024-11-20")) {
			t.Fatalf("b due %s should be overdue on 20/11", b.Due)
		}
		if got := figure(t, s, "CT3_DON_TRALOI_VB", "2024", commune); got != 1 {
			t.Errorf("answered in writing %v, want 1", got)
		}
		if got := figure(t, s, "CT3_DON_CHUYEN", "2024", commune); got != 2 {
			t.Errorf("answered + open overdue %v, want 2", got)
		}
		// A third, sent recently: not overdue yet, not in the denominator.
		c := openCase(t, s, commune, casework.Intake{Kind: casework.Reflection, Received: d("2024-11-18"), Field: "chinh_sach",
			Content: "Phản ánh việc chậm chi trả trợ cấp người cao tuổi", Petitioners: []casework.Petitioner{{Anonymous: true}}}, nil)
		c = act(t, s, c.ID, casework.Action{Name: casework.Forward, Agency: "UBND xã"})
		if got := figure(t, s, "CT3_DON_CHUYEN", "2024", commune); got != 2 {
			t.Errorf("after a fresh forward %v, want 2", got)
		}
		act(t, s, c.ID, casework.Action{Name: casework.Remind, Note: "Gọi điện đôn đốc"})
		// Months pass; nobody touches the case; the job notices.
		now = at("2025-03-02")
		if err := s.SyncCaseOverdue(ctx); err != nil {
			t.Fatal(err)
		}
		if got := figure(t, s, "CT3_DON_CHUYEN", "2024", commune); got != 3 {
			t.Errorf("after the job %v, want 3", got)
		}
		over, err := s.Cases(ctx, store.CaseFilter{Path: "/", Overdue: true, Today: d("2025-03-02")})
		if err != nil || len(over) != 2 || over[0].ID != b.ID {
			t.Fatalf("overdue list %v %v", over, err)
		}
		// A second complaint by the same ID number is flagged as a likely duplicate.
		dup := openCase(t, s, commune, casework.Intake{Kind: casework.Complaint, Received: d("2025-03-01"), Field: "dat_dai",
			Content: "Tiếp tục khiếu nại việc thu hồi đất", Petitioners: []casework.Petitioner{{Name: "Nguyen Van An", IDNumber: "024080000123"}}}, nil)
		dups, err := s.LikelyDuplicates(ctx, dup)
		if err != nil || len(dups) != 1 || dups[0].ID != a.ID {
			t.Fatalf("duplicates %v %v", dups, err)
		}
		act(t, s, dup.ID, casework.Action{Name: casework.Link, Duplicate: a.ID})
		// Wrong moves are refused with the reason.
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := casework.Act(ctx, tx, officer, a.ID, casework.Action{Name: casework.Forward, Agency: "X"})
			return err
		})
		if err == nil {
			t.Fatal("an answered case was forwarded again")
		}
		// A supervision with two recommendations: T3.3's count at the
		// commune, two cases sent to the agency supervised.
		now = at("2024-12-10")
		var sup casework.Activity
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			var err error
			sup, err = casework.Record(ctx, tx, officer, officer.Name, commune, casework.NewActivity{Kind: casework.Supervising,
				Held: d("2024-12-05"), Title: "Giám sát việc chi trả chính sách", Agency: "UBND phường Thọ Xương",
				Detail:          map[string]string{"form": "doan_giam_sat"},
				Recommendations: []string{"Chi trả đúng hạn", "Công khai danh sách"}})
			return err
		})
		if err != nil || len(sup.Cases) != 2 || sup.Cases[0].Status != casework.Sent {
			t.Fatalf("supervision %+v %v", sup, err)
		}
		if got := figure(t, s, "CT3_GIAMSAT", "2024", commune); got != 1 {
			t.Errorf("supervisions %v, want 1", got)
		}
		// The statistics' counts follow every write: by status, as the cases say.
		stats, err := s.MonthlyStats(ctx, "/", 2024)
		if err != nil {
			t.Fatal(err)
		}
		byStatus := map[string]int{}
		for _, st := range stats {
			if st.Dim == "status" {
				byStatus[st.Value] += st.N
			}
		}
		for _, st := range casework.Statuses {
			n, _ := s.CountCases(ctx, store.CaseFilter{Path: "/", Status: st, Year: 2024})
			if byStatus[string(st)] != n {
				t.Errorf("statistics count %d %s cases, the cases %d", byStatus[string(st)], st, n)
			}
		}
		events, err := s.CaseEvents(ctx, a.ID)
		if err != nil || len(events) != 3 {
			t.Fatalf("events %v %v", events, err)
		}
	})
}

// A denouncer's name is nowhere in the database file: not in the case,
// not in the audit log, not in the WAL.
func TestDenouncerNotInFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "raw.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.Fixture(t, s)
	s.Clock = func() time.Time { return at("2024-11-20") }
	sealer, _ := casework.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	commune, _ := s.UnitAt(ctx, "07201", "2024-11-20")
	const name, id, phone = "Phạm Thị Tố Giác", "024199001234", "0912345678"
	c := openCase(t, s, commune, casework.Intake{Kind: casework.Denunciation, Received: calendar.MustParseDate("2024-11-19"),
		Field: "tham_nhung", Content: "Tố cáo cán bộ địa chính nhận tiền để cấp giấy chứng nhận",
		Petitioners: []casework.Petitioner{{Name: name, IDNumber: id, Address: "Xóm Đông", Phone: phone}},
		Files:       []casework.Attachment{{Name: "don.png", Type: "image/png", Data: []byte("chữ viết tay của " + name)}}}, sealer)
	act(t, s, c.ID, casework.Action{Name: casework.Forward, Agency: "Thanh tra thành phố"})
	got, err := s.Case(ctx, c.ID)
	if err != nil || len(got.Petitioners) != 0 || len(got.Sealed) == 0 {
		t.Fatalf("stored %+v %v", got, err)
	}
	ps, err := sealer.Open(got.Code, got.Sealed)
	if err != nil || ps[0].Name != name {
		t.Fatalf("opened %v %v", ps, err)
	}
	// Without the key a case cannot be recorded at all.
	err = s.WithTx(ctx, func(tx *store.Tx) error {
		_, err := casework.Open(ctx, tx, officer, officer.Name, commune, casework.Intake{Kind: casework.Denunciation,
			Content: "x", Petitioners: []casework.Petitioner{{Name: name}}}, nil)
		return err
	})
	if err == nil {
		t.Fatal("a denunciation was stored without a key")
	}
	s.Close()
	for _, f := range []string{"raw.db", "raw.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		for _, secret := range []string{name, id, phone, "Pham Thi To Giac", "pham thi to giac"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %q", f, secret)
			}
		}
	}
}
