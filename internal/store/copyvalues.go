package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/jackc/pgx/v5/stdlib"

	"mattran/internal/value"
)

// copyValues writes new values into data_values with one COPY in
// PostgreSQL's binary format, encoded here straight from the values.
// Through pgx's CopyFrom every row was a []any of six boxed values, each
// planned and encoded through the type map: about 0.9 s of CPU and much
// of the garbage of a million-value import, on two cores that the client
// shares with the server doing the COPY.
func copyValues(ctx context.Context, c *sql.Conn, values []value.Value, codes periodCodes, changeID int64) error {
	return c.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn().PgConn()
		tag, err := pc.CopyFrom(ctx, &valueCopy{values: values, codes: codes, changeID: changeID},
			`COPY data_values (element_id, period, unit_path, unit_id, value, change_id) FROM STDIN (FORMAT binary)`)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != int64(len(values)) {
			return fmt.Errorf("COPY wrote %d rows of %d", tag.RowsAffected(), len(values))
		}
		return nil
	})
}

// copyHeader starts a binary COPY stream: the signature, no flags, no
// header extension.
const copyHeader = "PGCOPY\n\xff\r\n\x00" + "\x00\x00\x00\x00" + "\x00\x00\x00\x00"

// valueCopy reads as the binary COPY stream of values, as many whole rows
// at a time as fit in the reader's buffer. pgconn reads it from its own
// goroutine while the caller waits in CopyFrom, so codes is not used by
// two goroutines at once.
type valueCopy struct {
	values   []value.Value
	codes    periodCodes
	changeID int64
	next     int // the next value to encode
	started  bool
	ended    bool // the trailer is written
}

func (r *valueCopy) Read(p []byte) (int, error) {
	b := p[:0]
	if !r.started {
		if len(p) < len(copyHeader) {
			return 0, io.ErrShortBuffer
		}
		b = append(b, copyHeader...)
		r.started = true
	}
	for ; r.next < len(r.values); r.next++ {
		v := &r.values[r.next]
		per := r.codes.of(v.Period)
		// The field count, then six fields, each its length and its bytes.
		size := 2 + 6*4 + 4*8 + len(per) + len(v.Unit.Path)
		if len(b)+size > len(p) {
			if len(b) == 0 {
				return 0, io.ErrShortBuffer
			}
			return len(b), nil
		}
		b = binary.BigEndian.AppendUint16(b, 6)
		b = appendInt8(b, uint64(v.Element.ID))
		b = appendText(b, per)
		b = appendText(b, v.Unit.Path)
		b = appendInt8(b, uint64(v.Unit.ID))
		b = appendInt8(b, math.Float64bits(v.Number))
		b = appendInt8(b, uint64(r.changeID))
	}
	if !r.ended {
		if len(b)+2 > len(p) {
			return len(b), nil
		}
		b = binary.BigEndian.AppendUint16(b, 0xffff) // the trailer: a field count of -1
		r.ended = true
	}
	return len(b), io.EOF
}

// appendInt8 appends an 8-byte field (bigint, double precision).
func appendInt8(b []byte, v uint64) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, v)
}

// appendText appends a text field.
func appendText(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}
