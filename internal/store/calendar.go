package store

import (
	"context"
	"database/sql"
	"errors"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/errs"
	"mattran/internal/submission"
)

// Calendar is the working-day calendar: the legal holidays, computed, and
// the days the Government's decisions move (calendar_days), which an
// admin enters.
func (s *Store) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	return loadCalendar(ctx, s.DB)
}

// Calendar is Store.Calendar in the transaction: legal deadlines of a
// module's records are counted on it.
func (tx *Tx) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	return loadCalendar(ctx, tx.c)
}

func loadCalendar(ctx context.Context, q queryer) (*calendar.Calendar, error) {
	days, err := calendarDays(ctx, q)
	if err != nil {
		return nil, err
	}
	return calendar.New(days)
}

// CalendarDays are the days decisions moved, in date order.
func (s *Store) CalendarDays(ctx context.Context) ([]calendar.Override, error) {
	return calendarDays(ctx, s.DB)
}

func calendarDays(ctx context.Context, q queryer) ([]calendar.Override, error) {
	rows, err := q.QueryContext(ctx, `SELECT day, kind, name FROM calendar_days ORDER BY day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []calendar.Override
	for rows.Next() {
		var day, kind, name string
		if err := rows.Scan(&day, &kind, &name); err != nil {
			return nil, err
		}
		d, err := calendar.ParseDate(day)
		if err != nil {
			return nil, err
		}
		o := calendar.Override{Date: d, Kind: calendar.DayOff, Name: name}
		if kind == "work" {
			o.Kind = calendar.WorkDay
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetCalendarDay records a decision that makes a day off or a working
// day, replacing any other decision for that day.
func (s *Store) SetCalendarDay(ctx context.Context, a audit.Actor, o calendar.Override) error {
	if err := o.Validate(); err != nil {
		return err
	}
	kind := "off"
	if o.Kind == calendar.WorkDay {
		kind = "work"
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		before, err := calendarDay(ctx, tx, o.Date)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO calendar_days (day, kind, name, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, set_by = excluded.set_by, set_at = excluded.set_at`,
			o.Date.String(), kind, o.Name, a.Name, tx.now.UTC()); err != nil {
			return err
		}
		// Deadlines that fall on the day move, and pages show them.
		tx.Stale(AllPages)
		return tx.Audit(ctx, a, "set", "calendar_day", o.Date.String(), before, map[string]string{"kind": kind, "name": o.Name})
	})
}

// DeleteCalendarDay takes a decision back: the day is again as the law
// and the weekend make it.
func (s *Store) DeleteCalendarDay(ctx context.Context, a audit.Actor, d calendar.Date) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		before, err := calendarDay(ctx, tx, d)
		if err != nil {
			return err
		}
		if before == nil {
			return errs.New(errs.NotFound, "Ngày %s không có quyết định đổi ngày nghỉ nào.", d.FormatVN())
		}
		if _, err := tx.exec(ctx, `DELETE FROM calendar_days WHERE day = $1`, d.String()); err != nil {
			return err
		}
		tx.Stale(AllPages)
		return tx.Audit(ctx, a, "delete", "calendar_day", d.String(), before, nil)
	})
}

func calendarDay(ctx context.Context, tx *Tx, d calendar.Date) (map[string]string, error) {
	var kind, name string
	err := tx.queryRow(ctx, `SELECT kind, name FROM calendar_days WHERE day = $1`, d.String()).Scan(&kind, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return map[string]string{"kind": kind, "name": name}, nil
}

// workdays is the calendar deadlines are moved on, as the report
// workflow asks for it.
func (s *Store) workdays(ctx context.Context, q queryer) (submission.Workdays, error) {
	cal, err := loadCalendar(ctx, q)
	if err != nil {
		return nil, err
	}
	return workdays{cal}, nil
}

type workdays struct{ cal *calendar.Calendar }

// NextWorkday moves a YYYY-MM-DD day to the next working day, if it is off.
func (w workdays) NextWorkday(day string) string {
	d, err := calendar.ParseDate(day)
	if err != nil {
		return day
	}
	return w.cal.NextWorkday(d).String()
}
