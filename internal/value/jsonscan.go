package value

import (
	"errors"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"mattran/internal/errs"
)

// scanner reads JSON from a stream in one pass, keeping the line it is on.
// It is the smallest reader that a dataValueSet needs: it validates the
// whole document as encoding/json would, but hands over the four fields of
// each value as strings without building a map per value, and it bounds
// every string, so a file's memory is its rows and nothing more.
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int // next byte of buf to read
	end  int // bytes of buf filled
	err  error
	line int
	// str collects a string that spans buffer refills or has escapes;
	// keyBuf holds the key being read.
	str, keyBuf []byte
}

// maxString bounds one JSON string: a value, a code or a comment is far
// shorter, and a longer one is not a dataValueSet (or is an attack).
const maxString = 64 << 10

// maxDepth bounds the nesting of the values a dataValueSet carries and we
// skip (a DHIS2 "attribute" object, say); encoding/json stops at 10,000.
const maxDepth = 10000

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, 64<<10), line: 1}
}

// refusal stops the scan with one detail; scan turns it into the error.
type refusal struct{ d errs.Detail }

func (s *scanner) fail(code errs.Reason, a errs.Args) {
	panic(refusal{errs.Detail{Row: s.line, Code: code, Args: a}})
}

// readFailure stops the scan on an error of the reader itself (a body
// over its limit, a broken connection), which is not a JSON problem.
type readFailure struct{ err error }

// fill reads more input; it reports false at the end of it.
func (s *scanner) fill() bool {
	if s.err != nil {
		return false
	}
	s.pos, s.end = 0, 0
	for s.end == 0 && s.err == nil {
		s.end, s.err = s.r.Read(s.buf)
	}
	if s.err != nil && !errors.Is(s.err, io.EOF) {
		panic(readFailure{s.err})
	}
	return s.end > 0
}

// peek returns the next byte without taking it; 0 and false at the end.
func (s *scanner) peek() (byte, bool) {
	if s.pos == s.end && !s.fill() {
		return 0, false
	}
	return s.buf[s.pos], true
}

// next takes the next byte, which must exist.
func (s *scanner) next() byte {
	c, ok := s.peek()
	if !ok {
		s.fail(errs.JSONTruncated, errs.Args{})
	}
	s.pos++
	return c
}

// skipSpace passes white space, counting lines, and returns the next byte
// (not taken), or false at the end of the input.
func (s *scanner) skipSpace() (byte, bool) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case '\n':
				s.line++
			case ' ', '\t', '\r':
			default:
				return c, true
			}
			s.pos++
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// expect takes the next non-space byte, which must be c.
func (s *scanner) expect(c byte) {
	got, ok := s.skipSpace()
	if !ok {
		s.fail(errs.JSONTruncated, errs.Args{})
	}
	if got != c {
		s.unexpected()
	}
	s.pos++
}

// unexpected refuses the byte at hand.
func (s *scanner) unexpected() {
	c, ok := s.peek()
	if !ok {
		s.fail(errs.JSONTruncated, errs.Args{})
	}
	text := string(rune(c))
	if c >= utf8.RuneSelf {
		// Show the whole character, not its first byte.
		r, _ := utf8.DecodeRune(s.buf[s.pos:s.end])
		text = string(r)
	}
	s.fail(errs.JSONSyntax, errs.Args{Text: text})
}

// more is the loop of an object or array after its opening byte: it takes
// the separating comma and reports whether another member follows, or
// takes the closing byte and reports false.
func (s *scanner) more(close byte, first bool) bool {
	c, ok := s.skipSpace()
	if !ok {
		s.fail(errs.JSONTruncated, errs.Args{})
	}
	if c == close {
		s.pos++
		return false
	}
	if !first {
		if c != ',' {
			s.unexpected()
		}
		s.pos++
		if _, ok := s.skipSpace(); !ok {
			s.fail(errs.JSONTruncated, errs.Args{})
		}
	}
	return true
}

// key reads an object key and its colon. The key's bytes are valid until
// the next read: they are copied first, since the colon may come after a
// refill of the buffer the key was in.
func (s *scanner) key() []byte {
	if c, _ := s.skipSpace(); c != '"' {
		s.unexpected()
	}
	s.keyBuf = append(s.keyBuf[:0], s.stringBytes()...)
	s.expect(':')
	return s.keyBuf
}

// stringBytes reads a string (the opening quote at hand) and returns its
// decoded bytes, valid until the next read: a slice of the buffer when the
// string has no escape and does not cross a refill, else of s.str.
func (s *scanner) stringBytes() []byte {
	s.pos++ // the opening quote
	start := s.pos
	for i := start; i < s.end; i++ {
		switch c := s.buf[i]; {
		case c == '"':
			s.pos = i + 1
			if i-start > maxString {
				s.fail(errs.StringTooLong, errs.Args{Max: maxString})
			}
			b := s.buf[start:i]
			if !utf8.Valid(b) {
				return []byte(validUTF8(b))
			}
			return b
		case c == '\\' || c < 0x20:
			i = s.end // the slow path
		}
	}
	s.pos = start
	return s.slowString()
}

// slowString reads the rest of a string byte by byte, decoding escapes as
// encoding/json does.
func (s *scanner) slowString() []byte {
	s.str = s.str[:0]
	for {
		c := s.next()
		switch {
		case c == '"':
			if !utf8.Valid(s.str) {
				s.str = append(s.str[:0], validUTF8(s.str)...)
			}
			return s.str
		case c < 0x20:
			s.pos--
			s.unexpected()
		case c == '\\':
			switch e := s.next(); e {
			case '"', '\\', '/':
				s.str = append(s.str, e)
			case 'b':
				s.str = append(s.str, '\b')
			case 'f':
				s.str = append(s.str, '\f')
			case 'n':
				s.str = append(s.str, '\n')
			case 'r':
				s.str = append(s.str, '\r')
			case 't':
				s.str = append(s.str, '\t')
			case 'u':
				r := s.hex4()
				if utf16.IsSurrogate(r) {
					// A pair written as two escapes, else U+FFFD.
					r2 := rune(-1)
					if c, _ := s.peek(); c == '\\' {
						s.pos++
						if c := s.next(); c != 'u' {
							s.pos--
							s.unexpected()
						}
						r2 = s.hex4()
					}
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
					} else {
						s.str = utf8.AppendRune(s.str, utf8.RuneError)
						r = r2
						if r2 < 0 || utf16.IsSurrogate(r2) {
							r = utf8.RuneError
						}
					}
				}
				s.str = utf8.AppendRune(s.str, r)
			default:
				s.pos--
				s.unexpected()
			}
		default:
			s.str = append(s.str, c)
		}
		if len(s.str) > maxString {
			s.fail(errs.StringTooLong, errs.Args{Max: maxString})
		}
	}
}

func (s *scanner) hex4() rune {
	var r rune
	for range 4 {
		c := s.next()
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			s.pos--
			s.unexpected()
		}
		r = r<<4 | rune(c)
	}
	return r
}

// validUTF8 replaces each invalid byte with U+FFFD, as encoding/json does.
func validUTF8(b []byte) string {
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		out = utf8.AppendRune(out, r)
		b = b[size:]
	}
	return string(out)
}

// number reads a JSON number and returns its text, valid until the next read.
func (s *scanner) number() []byte {
	s.str = s.str[:0]
	take := func() byte { c := s.next(); s.str = append(s.str, c); return c }
	digits := func() int {
		n := 0
		for {
			c, ok := s.peek()
			if !ok || c < '0' || c > '9' {
				return n
			}
			take()
			if n++; n > maxString {
				s.fail(errs.StringTooLong, errs.Args{Max: maxString})
			}
		}
	}
	if c, _ := s.peek(); c == '-' {
		take()
	}
	switch c, _ := s.peek(); {
	case c == '0':
		take()
	case '1' <= c && c <= '9':
		digits()
	default:
		s.unexpected()
	}
	if c, _ := s.peek(); c == '.' {
		take()
		if digits() == 0 {
			s.unexpected()
		}
	}
	if c, _ := s.peek(); c == 'e' || c == 'E' {
		take()
		if c, _ := s.peek(); c == '+' || c == '-' {
			take()
		}
		if digits() == 0 {
			s.unexpected()
		}
	}
	return s.str
}

// literal reads true, false or null, whose first byte is at hand.
func (s *scanner) literal(word string) {
	for i := 0; i < len(word); i++ {
		if c, ok := s.peek(); !ok {
			s.fail(errs.JSONTruncated, errs.Args{})
		} else if c != word[i] {
			s.unexpected()
		}
		s.pos++
	}
}

// kind is what a scalar value was.
type kind int

const (
	kindNull kind = iota
	kindString
	kindNumber
	kindBool
	kindComposite // an object or an array
)

// scalar reads any value. A string, number or boolean comes back as its
// text (valid until the next read); an object or array is read through and
// reported as kindComposite.
func (s *scanner) scalar() ([]byte, kind) {
	c, ok := s.skipSpace()
	if !ok {
		s.fail(errs.JSONTruncated, errs.Args{})
	}
	switch {
	case c == '"':
		return s.stringBytes(), kindString
	case c == '-' || '0' <= c && c <= '9':
		return s.number(), kindNumber
	case c == 't':
		s.literal("true")
		return trueText, kindBool
	case c == 'f':
		s.literal("false")
		return falseText, kindBool
	case c == 'n':
		s.literal("null")
		return nil, kindNull
	case c == '{' || c == '[':
		s.skip(0)
		return nil, kindComposite
	}
	s.unexpected()
	return nil, 0
}

var trueText, falseText = []byte("true"), []byte("false")

// skip reads through any value, checking its syntax.
func (s *scanner) skip(depth int) {
	if depth > maxDepth {
		s.fail(errs.JSONTooDeep, errs.Args{Max: maxDepth})
	}
	c, _ := s.skipSpace()
	switch c {
	case '{':
		s.pos++
		for first := true; s.more('}', first); first = false {
			s.key()
			s.skip(depth + 1)
		}
	case '[':
		s.pos++
		for first := true; s.more(']', first); first = false {
			s.skip(depth + 1)
		}
	default:
		s.scalar()
	}
}

// atEnd reports whether only white space is left.
func (s *scanner) atEnd() bool {
	_, more := s.skipSpace()
	return !more
}
