// Package vn formats and parses text the way Vietnamese users write it:
// numbers with '.' for thousands and ',' for decimals, amounts of money in
// "tỷ" and "triệu", dates as dd/mm/yyyy, and search keys without diacritics.
//
// Everything here is pure: no I/O, no global state, safe for concurrent use.
package vn
