package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"mattran/internal/errs"
)

// Unavailable says, in Vietnamese, why a request could not reach the
// database, when that is why it failed: the database is busy with another
// writer past the wait (SQLITE_BUSY), away (PostgreSQL restarting, the
// connection lost) or out of disk space. Nothing of the request was
// written: a write that fails rolls back whole (when the connection is
// lost, the write may have committed and only its answer been lost;
// the message says so). The pages and the API
// answer it 503 with Retry-After instead of "internal error", and the
// server goes on: the next request opens a fresh connection. Any other
// error gives nil.
func Unavailable(err error) *errs.Error {
	if err == nil || errors.Is(err, context.Canceled) {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary code, without the extended bits
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return busy
		case sqlite3.SQLITE_FULL:
			return full
		case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
			return away
		}
		return nil
	}
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		// Refused while connecting, even by the server's own FATAL (on a
		// full disk: "could not write init file", XX000): nothing was sent.
		if errors.As(err, &pe) && pe.Code == "53100" {
			return full
		}
		return away
	}
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "53100": // disk_full
			return full
		case strings.HasPrefix(pe.Code, "08"), // connection exceptions
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // shutting down, crashed, starting up
			pe.Code == "53300": // too many connections
			return away
		}
		return nil
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		pgconn.SafeToRetry(err), strings.Contains(err.Error(), "conn closed"):
		return away
	case errors.Is(err, syscall.ENOSPC):
		return full
	}
	return nil
}

var (
	busy = &errs.Error{Code: errs.Unavailable, Message: "Cơ sở dữ liệu đang bận ghi một tệp lớn. Chưa có gì được ghi; hãy thử lại sau ít phút."}
	// A connection lost while a write committed may have lost only the
	// answer: the message does not promise that nothing was written, and
	// sending the same figures again writes nothing twice.
	away = &errs.Error{Code: errs.Unavailable, Message: "Máy chủ mất kết nối với cơ sở dữ liệu (đang khởi động lại?). Thay đổi có thể chưa được ghi: hãy thử lại sau ít phút; gửi lại cùng số liệu không ghi trùng."}
	full = &errs.Error{Code: errs.Unavailable, Message: "Ổ đĩa của máy chủ đã đầy, không ghi thêm được. Chưa có gì được ghi; hãy báo quản trị hệ thống."}
)
