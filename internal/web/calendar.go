package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"mattran/internal/access"
	"mattran/internal/calendar"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/vn"
)

// calendarRoutes: the working-day calendar legal deadlines and report
// deadlines are counted on.
func (h *Web) calendarRoutes() []Route {
	return []Route{
		{"GET /calendar", false, h.calendarPage},
		{"POST /calendar", false, h.calendarSet},
		{"POST /calendar/delete", false, h.calendarDelete},
	}
}

// calendarPage is one year's days off: the legal holidays, the days off
// in their place when they fall on a weekend, and the days a decision
// moved; an admin adds and removes decisions.
type calendarPage struct {
	Base
	Year, Prev, Next int
	Days             []calendarDay
	Workdays         int
	CanEdit          bool
	Form             calendarForm
	Errors           map[string]string
}

type calendarDay struct {
	Date, Weekday, Name, Kind string
	Off                       bool
	Decision                  bool   // a decision, which may be taken back
	Key                       string // YYYY-MM-DD
}

type calendarForm struct{ Date, Kind, Name string }

var weekdays = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

func (h *Web) calendarPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.loadCalendar(r, s, r.URL.Query().Get("year"))
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("msg") {
	case "set":
		page.Notice = "Đã ghi quyết định đổi ngày."
	case "deleted":
		page.Notice = "Đã bỏ quyết định đổi ngày."
	}
	return h.render(w, "calendar.html", page)
}

func (h *Web) loadCalendar(r *http.Request, s *Session, yearParam string) (*calendarPage, error) {
	year := clock.InVietnam(h.Now()).Year()
	if yearParam != "" {
		y, err := strconv.Atoi(yearParam)
		if err != nil || y < calendar.MinYear || y > calendar.MaxYear {
			return nil, errs.New(errs.Invalid, "Năm %q không hợp lệ: lịch tính cho các năm %d–%d.", yearParam, calendar.MinYear, calendar.MaxYear)
		}
		year = y
	}
	cal, err := h.Store.Calendar(r.Context())
	if err != nil {
		return nil, err
	}
	days, err := cal.Year(year)
	if err != nil {
		return nil, err
	}
	first, _ := calendar.NewDate(year, time.January, 1)
	last, _ := calendar.NewDate(year, time.December, 31)
	n, err := cal.WorkdaysBetween(first.AddDays(-1), last)
	if err != nil {
		return nil, err
	}
	page := &calendarPage{Base: h.base(s, fmt.Sprintf("Lịch làm việc năm %d", year)), Year: year, Prev: year - 1, Next: year + 1,
		Workdays: n, CanEdit: access.EditCalendar(s.User) == nil, Form: calendarForm{Kind: "off"}}
	page.Nav = "calendar"
	for _, d := range days {
		kind := map[calendar.DayKind]string{calendar.Holiday: "Nghỉ lễ, tết", calendar.Compensation: "Nghỉ bù", calendar.Overridden: "Theo quyết định"}[d.Kind]
		page.Days = append(page.Days, calendarDay{Date: d.Date.FormatVN(), Weekday: weekdays[d.Date.Weekday()], Name: d.Name, Kind: kind,
			Off: d.Off, Decision: d.Kind == calendar.Overridden, Key: d.Date.String()})
	}
	return page, nil
}

// calendarSet records a decision: a day off, or a working day.
func (h *Web) calendarSet(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := access.EditCalendar(s.User); err != nil {
		return err
	}
	f := calendarForm{Date: strings.TrimSpace(r.PostFormValue("date")), Kind: r.PostFormValue("kind"), Name: strings.TrimSpace(r.PostFormValue("name"))}
	bad := map[string]string{}
	o := calendar.Override{Name: f.Name}
	t, err := vn.ParseDate(f.Date)
	if err != nil {
		bad["date"] = upperFirst(err.Error()) + "."
	} else if o.Date, err = calendar.NewDate(t.Year(), t.Month(), t.Day()); err != nil {
		bad["date"] = err.Error()
	}
	switch f.Kind {
	case "off":
		o.Kind = calendar.DayOff
	case "work":
		o.Kind = calendar.WorkDay
	default:
		bad["kind"] = "Chọn ngày nghỉ hoặc ngày làm việc."
	}
	switch n := len([]rune(f.Name)); {
	case n == 0:
		bad["name"] = "Ghi căn cứ, ví dụ «Nghỉ bù Tết theo Thông báo …/TB-BNV»."
	case n > 200:
		bad["name"] = "Căn cứ dài quá 200 ký tự."
	}
	if len(bad) == 0 {
		err = h.Store.SetCalendarDay(r.Context(), s.User.Actor(), o)
		if e, ok := errs.As(err); ok && e.Code == errs.Invalid {
			bad["date"] = e.Message
		} else if err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		year := ""
		if !o.Date.IsZero() {
			year = strconv.Itoa(o.Date.Year())
		}
		page, err := h.loadCalendar(r, s, year)
		if err != nil {
			return err
		}
		page.Form, page.Errors = f, bad
		return h.renderStatus(w, http.StatusBadRequest, "calendar.html", page)
	}
	return redirect(w, r, fmt.Sprintf("/calendar?year=%d&msg=set", o.Date.Year()))
}

// calendarDelete takes a decision back.
func (h *Web) calendarDelete(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := access.EditCalendar(s.User); err != nil {
		return err
	}
	d, err := calendar.ParseDate(r.PostFormValue("date"))
	if err != nil {
		return err
	}
	if err := h.Store.DeleteCalendarDay(r.Context(), s.User.Actor(), d); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/calendar?year=%d&msg=deleted", d.Year()))
}
