// Package clock is the one source of "now" and the one time zone. Every
// date a user reads or a rule compares (a deadline, "today" for an
// import, the day a case was received) is a civil day in Vietnam, and a
// server may run in any zone, so nobody calls time.Now().Format(…) for a
// date: they ask a Clock for the instant and Today for the day.
package clock

import "time"

// Zone is Vietnam's time zone, Asia/Ho_Chi_Minh. Vietnam has kept UTC+7
// without daylight saving since 1975, so a fixed zone is exact for every
// date the app handles and needs no tzdata on the server.
var Zone = time.FixedZone("Asia/Ho_Chi_Minh", 7*60*60)

// Clock tells the time. Servers use System; tests and the demo fix it.
type Clock func() time.Time

// System is the machine's clock.
func System() time.Time { return time.Now() }

// Fixed is a clock that always reads t.
func Fixed(t time.Time) Clock { return func() time.Time { return t } }

// Or is c, or System when c is nil: a zero-valued struct holding a Clock
// still tells the time.
func Or(c Clock) Clock {
	if c == nil {
		return System
	}
	return c
}

// Today is the civil day (YYYY-MM-DD) in Vietnam at t.
func Today(t time.Time) string { return t.In(Zone).Format(time.DateOnly) }

// InVietnam is t as read on a wall clock in Vietnam.
func InVietnam(t time.Time) time.Time { return t.In(Zone) }

// StartOfDay is the instant a civil day (YYYY-MM-DD) begins in Vietnam.
func StartOfDay(day string) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, day, Zone)
}
