package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
)

// queryRaw runs a read query and hands each row's driver values to fn,
// without database/sql's per-row locking and conversions. It is for the
// few hot reads that return tens of thousands of rows; everything else uses
// database/sql as usual. fn must not keep row.
func (s *Store) queryRaw(ctx context.Context, query string, args []any, fn func(row []driver.Value) error) error {
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		named := make([]driver.NamedValue, len(args))
		for i, a := range args {
			named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
		}
		var rows driver.Rows
		var err error
		switch c := dc.(type) {
		case driver.QueryerContext: // modernc
			rows, err = c.QueryContext(ctx, query, named)
		case driver.ConnPrepareContext: // a driver that only prepares (ncruces, in the driver benchmark)
			var st driver.Stmt
			if st, err = c.PrepareContext(ctx, query); err != nil {
				return err
			}
			defer st.Close()
			sq, ok := st.(driver.StmtQueryContext)
			if !ok {
				return fmt.Errorf("driver %T cannot query directly", dc)
			}
			rows, err = sq.QueryContext(ctx, named)
		default:
			return fmt.Errorf("driver %T cannot query directly", dc)
		}
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, len(rows.Columns()))
		for {
			if err := rows.Next(dest); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			if err := fn(dest); err != nil {
				return err
			}
		}
	})
}

func asInt(v driver.Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case int32:
		return int64(x)
	}
	return 0
}

func asFloat(v driver.Value) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	}
	return 0
}
