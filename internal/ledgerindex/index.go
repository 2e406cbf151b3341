// Package ledgerindex holds a campaign's public ledger in memory for the
// public search: each entry's folded, masked search text, value date,
// amount and kind, in the public ledger's order (newest value date first,
// then newest entry), so that "the first 50 entries whose text contains
// 'nguyen van'" is a scan from the front that stops after 50 matches.
//
// A database index did not serve that query well. A trigram index (FTS5,
// pg_trgm) finds the rows holding every trigram of the text, and a text
// whose trigrams are each common but rare together ("6900012", a
// document number) walks long posting lists: hundreds of milliseconds at a
// million entries, and the index cost a quarter of a statement import's
// time. Here the texts of many entries lie in one byte slice, searched with
// bytes.Index (vectorised), and each block of 64 entries keeps a 4,096-bit
// filter of the trigrams in it, so a rare text skips most blocks and a
// common one stops early. The matching is LIKE '%text%' on the same
// column, exactly: the store checks that it gives the scan's rows.
package ledgerindex

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"unsafe"
)

// Row is one entry as the search sees it.
type Row struct {
	ID     int64
	Day    int32 // the value date as YYYYMMDD
	Amount int64 // signed, as the entry holds it; the filters compare its absolute value
	Kind   string
	Text   string // fund.SearchKey: folded, masked
}

// before says whether a comes before b in the public ledger's order.
func before(a, b *Row) bool {
	if a.Day != b.Day {
		return a.Day > b.Day
	}
	return a.ID > b.ID
}

// Query is a search: the text (folded by the caller, no LIKE wildcards),
// a date range (YYYYMMDD, 0 for open), an amount range on the absolute
// value (0 for open), a kind ("" for all) and the most rows wanted.
type Query struct {
	Text     string
	From, To int32
	Min, Max int64
	Kind     string
	Limit    int
}

// blockRows is the number of entries a trigram filter covers: about 4 KB
// of text, so the 4,096-bit filter is a third full and a text of four
// trigrams passes a block without them about once in a hundred.
const (
	blockRows  = 64
	filterBits = 4096
	filterLen  = filterBits / 64
)

// sep ends each entry's text, so no match runs from one entry into the
// next; search texts never hold it (New replaces it).
const sep = 0

// Index is an immutable snapshot of a campaign's entries. Entries added
// after it was built go in a small unsorted tail (With), searched entry by
// entry and merged into the results in order; a tail grown large is sorted
// in by building the snapshot again.
type Index struct {
	text    []byte
	ends    []uint32 // ends[i]: the offset just past entry i's separator
	ids     []int64
	days    []int32
	amounts []int64
	kinds   []uint8
	kindOf  []string // kinds[i] indexes it
	filters []uint64 // filterLen words per block of blockRows entries
	maxID   int64
	tail    []Row // sorted, in the ledger's order
}

// New builds an index of rows, in any order; it sorts rows in place (a
// copy of a million rows would add a quarter to the memory a load peaks at).
func New(rows []Row) *Index {
	slices.SortFunc(rows, func(a, b Row) int {
		switch {
		case before(&a, &b):
			return -1
		case before(&b, &a):
			return 1
		}
		return 0
	})
	n := len(rows)
	size := 0
	for i := range rows {
		size += len(rows[i].Text) + 1
	}
	ix := &Index{
		text: make([]byte, 0, size), ends: make([]uint32, n), ids: make([]int64, n), days: make([]int32, n),
		amounts: make([]int64, n), kinds: make([]uint8, n), filters: make([]uint64, (n+blockRows-1)/blockRows*filterLen),
	}
	kindNo := map[string]uint8{}
	for i := range rows {
		r := &rows[i]
		start := len(ix.text)
		ix.text = append(ix.text, r.Text...)
		for j := start; j < len(ix.text); j++ {
			if ix.text[j] == sep {
				ix.text[j] = ' '
			}
		}
		ix.text = append(ix.text, sep)
		ix.ends[i] = uint32(len(ix.text))
		ix.ids[i], ix.days[i], ix.amounts[i] = r.ID, r.Day, r.Amount
		k, ok := kindNo[r.Kind]
		if !ok {
			k = uint8(len(ix.kindOf))
			kindNo[r.Kind] = k
			ix.kindOf = append(ix.kindOf, r.Kind)
		}
		ix.kinds[i] = k
		f := ix.filters[i/blockRows*filterLen:][:filterLen]
		t := ix.text[start : len(ix.text)-1]
		for j := 0; j+3 <= len(t); j++ {
			h := trigram(t[j], t[j+1], t[j+2])
			f[h/64] |= 1 << (h % 64)
		}
		ix.maxID = max(ix.maxID, r.ID)
	}
	return ix
}

// trigram hashes three bytes to a bit of a block's filter.
func trigram(a, b, c byte) uint32 {
	return (uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 2654435761 >> 20 % filterBits
}

// Estimate is about the memory an index of n entries whose texts add up
// to text bytes holds (Bytes once built).
func Estimate(n, text int64) int64 {
	return text + n*(1+rowBytes) + (n+blockRows-1)/blockRows*filterLen*8
}

// rowBytes is what an entry costs beside its text: its end offset, id,
// day, amount and kind.
const rowBytes = 4 + 8 + 4 + 8 + 1

// Len is the number of entries held.
func (ix *Index) Len() int { return len(ix.ids) + len(ix.tail) }

// MaxID is the largest entry id held: the store reads only entries after
// it to bring the index up to date (entries are appended in id order under
// the write lock and never updated or deleted).
func (ix *Index) MaxID() int64 { return ix.maxID }

// Bytes is about the memory the index holds.
func (ix *Index) Bytes() int64 {
	n := int64(cap(ix.text)) + int64(len(ix.ids))*rowBytes + int64(len(ix.filters))*8
	for i := range ix.tail {
		n += int64(len(ix.tail[i].Text)) + int64(unsafe.Sizeof(Row{}))
	}
	return n
}

// tailMax is the most entries kept unsorted before the snapshot is built
// again: a few thousand entries are searched one by one in well under a
// millisecond, and building a million-entry snapshot takes about a second.
func tailMax(n int) int { return max(4096, n/16) }

// With is the index with rows added (each with an id above MaxID). It
// shares the snapshot and keeps the rows in its tail, or builds a new
// snapshot once the tail is large.
func (ix *Index) With(rows []Row) *Index {
	if len(rows) == 0 {
		return ix
	}
	if len(ix.tail)+len(rows) > tailMax(len(ix.ids)) {
		all := make([]Row, 0, ix.Len()+len(rows))
		for i := range ix.ids {
			all = append(all, ix.row(i))
		}
		all = append(all, ix.tail...)
		return New(append(all, rows...))
	}
	next := *ix
	next.tail = slices.Clone(ix.tail)
	for _, r := range rows {
		// As New does: a separator inside a text is a space.
		r.Text = strings.ReplaceAll(r.Text, "\x00", " ")
		next.tail = append(next.tail, r)
		next.maxID = max(next.maxID, r.ID)
	}
	slices.SortFunc(next.tail, func(a, b Row) int {
		if before(&a, &b) {
			return -1
		}
		return 1
	})
	return &next
}

// row is entry i of the snapshot as a Row (its text shares the snapshot's
// bytes' contents, copied).
func (ix *Index) row(i int) Row {
	start := uint32(0)
	if i > 0 {
		start = ix.ends[i-1]
	}
	return Row{ID: ix.ids[i], Day: ix.days[i], Amount: ix.amounts[i], Kind: ix.kindOf[ix.kinds[i]],
		Text: string(ix.text[start : ix.ends[i]-1])}
}

// Search gives the ids of the first q.Limit entries that match, in the
// public ledger's order.
func (ix *Index) Search(q Query) []int64 {
	if q.Limit <= 0 {
		return nil
	}
	kind := -1 // any
	if q.Kind != "" {
		kind = slices.Index(ix.kindOf, q.Kind)
		if kind < 0 {
			kind = 256 // no entry of the snapshot has it
		}
	}
	if bytes.IndexByte([]byte(q.Text), sep) >= 0 {
		return nil // no entry's text holds it
	}
	main := ix.searchMain(q, kind)
	var tail []*Row
	needle := []byte(q.Text)
	for i := range ix.tail {
		r := &ix.tail[i]
		if len(tail) == q.Limit {
			break
		}
		if matchFilters(q, r.Day, r.Amount) && (q.Kind == "" || r.Kind == q.Kind) && bytes.Contains([]byte(r.Text), needle) {
			tail = append(tail, r)
		}
	}
	// Merge the two ordered lists.
	out := make([]int64, 0, min(q.Limit, len(main)+len(tail)))
	i, j := 0, 0
	for len(out) < q.Limit && (i < len(main) || j < len(tail)) {
		if j == len(tail) || i < len(main) && before(&Row{ID: ix.ids[main[i]], Day: ix.days[main[i]]}, tail[j]) {
			out = append(out, ix.ids[main[i]])
			i++
		} else {
			out = append(out, tail[j].ID)
			j++
		}
	}
	return out
}

func matchFilters(q Query, day int32, amount int64) bool {
	if amount < 0 {
		amount = -amount
	}
	return (q.From == 0 || day >= q.From) && (q.To == 0 || day <= q.To) &&
		(q.Min == 0 || amount >= q.Min) && (q.Max == 0 || amount <= q.Max)
}

// searchMain searches the sorted snapshot and gives the positions of the
// entries found: the date range is a run of entries (newest first),
// scanned block by block from the front.
func (ix *Index) searchMain(q Query, kind int) []int {
	n := len(ix.ids)
	lo, hi := 0, n
	if q.To != 0 {
		lo = sort.Search(n, func(i int) bool { return ix.days[i] <= q.To })
	}
	if q.From != 0 {
		hi = sort.Search(n, func(i int) bool { return ix.days[i] < q.From })
	}
	var out []int
	keep := func(i int) bool {
		if kind >= 0 && int(ix.kinds[i]) != kind || !matchFilters(q, ix.days[i], ix.amounts[i]) {
			return false
		}
		out = append(out, i)
		return len(out) == q.Limit
	}
	if q.Text == "" {
		for i := lo; i < hi; i++ {
			if keep(i) {
				break
			}
		}
		return out
	}
	needle := []byte(q.Text)
	var hashes []uint32
	for j := 0; j+3 <= len(needle); j++ {
		hashes = append(hashes, trigram(needle[j], needle[j+1], needle[j+2]))
	}
	for b := lo / blockRows; b*blockRows < hi; b++ {
		f := ix.filters[b*filterLen:][:filterLen]
		pass := true
		for _, h := range hashes {
			if f[h/64]&(1<<(h%64)) == 0 {
				pass = false
				break
			}
		}
		if !pass {
			continue
		}
		first, last := max(b*blockRows, lo), min((b+1)*blockRows, hi) // entries [first, last)
		pos := ix.start(first)
		end := int(ix.ends[last-1])
		for pos < end {
			k := bytes.Index(ix.text[pos:end], needle)
			if k < 0 {
				break
			}
			// The entry holding the match: the first whose end is past it.
			at := uint32(pos + k)
			i := first + sort.Search(last-first, func(i int) bool { return ix.ends[first+i] > at })
			if keep(i) {
				return out
			}
			pos = int(ix.ends[i])
		}
	}
	return out
}

// start is the offset of entry i's text.
func (ix *Index) start(i int) int {
	if i == 0 {
		return 0
	}
	return int(ix.ends[i-1])
}
