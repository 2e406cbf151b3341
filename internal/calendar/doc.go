// Package calendar is Vietnam's calendar for counting deadlines: civil
// dates, the Vietnamese lunar calendar (âm lịch) that two public holidays
// follow, and the working days of state offices.
package calendar
