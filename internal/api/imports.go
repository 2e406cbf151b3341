package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"mattran/internal/access"
	"mattran/internal/errs"
	"mattran/internal/imports"
	"mattran/internal/limits"
	"mattran/internal/store"
	"mattran/internal/user"
	"mattran/internal/value"
	"mattran/internal/vn"
)

// importQueue is the server's import queue: the one serve shares with the
// pages, or one of the API's own.
func (a *API) importQueue() *imports.Queue {
	a.queueOnce.Do(func() {
		if a.Imports == nil {
			a.Imports = &imports.Queue{Now: a.Store.Now}
		}
	})
	return a.Imports
}

// importValues takes a DHIS2 dataValueSet (JSON, or CSV with Content-Type
// text/csv) and applies it whole or not at all. ?dryRun=true validates and
// counts without writing.
//
// What can be refused cheaply is refused before the file queues: the
// role, the type, a declared length over the limit, a file the parser
// cannot read, more values than one import takes, and a file whose every
// value is for units outside the sender's subtree. The rest waits its
// turn in the import queue (package imports) as a file on disk, then is
// validated and written. The answer says the place the file had on
// arrival (X-Import-Queue-Position, and "queue" in the body). With
// ?async=true the answer comes at once, 202 with the place, and
// GET /api/v1/imports/{id} (the Location) tells how it went.
func (a *API) importValues(w http.ResponseWriter, r *http.Request) error {
	me := currentUser(r)
	if err := access.EnterValues(me, me.Unit); err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.Contains(ct, "csv") && !strings.Contains(ct, "json") && !strings.HasPrefix(ct, "text/plain") {
		return errs.New(errs.Invalid, "Content-Type %q không được hỗ trợ: gửi application/json hoặc text/csv", ct)
	}
	if r.ContentLength > value.MaxFileBytes {
		return tooLarge()
	}
	release, err := a.importQueue().Receive()
	if err != nil {
		return err
	}
	defer release()
	f, err := spool(http.MaxBytesReader(w, r.Body, value.MaxFileBytes))
	if err != nil {
		return err
	}
	queued := false
	defer func() {
		if !queued {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := a.precheck(r.Context(), f, me); err != nil {
		return err
	}
	release()

	q := r.URL.Query()
	dry, async := q.Get("dryRun") == "true", q.Get("async") == "true"
	opts := store.ImportOptions{Actor: me.Actor(), Scope: me.Unit, Source: "api", Today: a.Now().Format("2006-01-02"), DryRun: dry}
	ctx := r.Context()
	if async {
		// The sender does not wait: the import goes on without the request.
		ctx = context.WithoutCancel(ctx)
	}
	job, err := a.importQueue().Submit(ctx, me.ID, "API", "", func(ctx context.Context) (value.Summary, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return value.Summary{}, err
		}
		// Read as it is written, a chunk at a time: the file is never
		// held whole in memory.
		n := 0
		return a.Store.ImportStream(ctx, func(fn func([]value.Row) error) error {
			return value.ParseEach(f, store.ImportChunk, func(rows []value.Row) error {
				if n += len(rows); n > limits.ImportRows {
					return tooManyRows()
				}
				return fn(rows)
			})
		}, opts)
	})
	if err != nil {
		return err
	}
	queued = true
	go func() {
		<-job.Done()
		f.Close()
		os.Remove(f.Name())
	}()
	w.Header().Set("X-Import-Queue-Position", strconv.Itoa(job.Arrived))
	if async {
		w.Header().Set("Location", "/api/v1/imports/"+job.ID)
		return writeJSON(w, http.StatusAccepted, a.jobJSON(job, dry))
	}
	<-job.Done()
	st := a.importQueue().Status(job)
	if st.Err != nil {
		return st.Err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": "SUCCESS", "dryRun": dry, "importCount": st.Summary,
		"queue": map[string]any{"position": job.Arrived, "waitedSeconds": st.Waited.Round(100 * 1e6).Seconds()}})
}

// getImport says how an import sent with ?async=true stands: waiting (and
// its place), running, done with its counts, or failed with the error an
// import answers with. Only its sender reads it, on the server it was
// sent to, for an hour after it ends.
func (a *API) getImport(w http.ResponseWriter, r *http.Request) error {
	job, ok := a.importQueue().Job(r.PathValue("id"))
	if !ok || access.ReadImport(currentUser(r), job.Owner) != nil {
		return errs.New(errs.NotFound, "không có lần nhập %s của bạn trên máy chủ này (kết quả được giữ một giờ)", r.PathValue("id"))
	}
	return writeJSON(w, http.StatusOK, a.jobJSON(job, false))
}

func (a *API) jobJSON(job *imports.Job, dry bool) map[string]any {
	st := a.importQueue().Status(job)
	out := map[string]any{"id": job.ID, "status": st.State}
	switch st.State {
	case imports.Waiting:
		out["position"] = st.Position
	case imports.Done:
		out["importCount"] = st.Summary
	case imports.Failed:
		e, ok := errs.As(st.Err)
		if !ok || e.Code == errs.Internal {
			a.Log.Error("import failed", "id", job.ID, "err", st.Err)
			e = &errs.Error{Code: errs.Internal, Message: "lỗi hệ thống; chi tiết đã được ghi vào nhật ký máy chủ"}
			if u := store.Unavailable(st.Err); u != nil {
				e = u
			}
		}
		body := map[string]any{"code": e.Code, "message": e.Message}
		if len(e.Details) > 0 {
			body["details"] = e.Details
		}
		out["error"] = body
	}
	if dry {
		out["dryRun"] = true
	}
	return out
}

// spool writes a body to a temporary file: it waits its turn there, not
// in memory.
func spool(body io.Reader) (*os.File, error) {
	f, err := os.CreateTemp("", "mattran-import-*")
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(f, body)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		if tl := (*http.MaxBytesError)(nil); errors.As(err, &tl) {
			return nil, tooLarge()
		}
		return nil, errs.New(errs.Invalid, "không đọc hết được nội dung gửi lên (đường truyền bị ngắt?); không có gì được ghi")
	}
	return f, nil
}

func tooLarge() error {
	return errs.New(errs.Oversized, "nội dung gửi lên quá lớn, giới hạn là %d MB; hãy chia thành nhiều tệp (theo huyện, theo năm)", value.MaxFileBytes>>20)
}

func tooManyRows() error {
	return errs.New(errs.Oversized, "tệp có hơn %s giá trị, quá giới hạn của một lần nhập; hãy chia thành nhiều tệp (theo huyện, theo năm)", vn.FormatInt(limits.ImportRows))
}

// precheck refuses before queueing what a quick pass over the file can:
// a file the parser cannot read (its error, with the line), more values
// than one import takes, and a file whose every value is for units the
// sender may not write (or that do not exist): no row of such a file
// could be written, and it would otherwise wait for the write lock to be
// told so. A file with some such rows among good ones is validated in its
// turn, which lists every bad row.
func (a *API) precheck(ctx context.Context, f *os.File, me user.User) error {
	sc, err := imports.ScanValues(f)
	if errors.Is(err, imports.ErrUnread) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		rows, err := value.Parse(f)
		if err != nil {
			return err
		}
		sc = imports.ScanRows(rows)
	} else if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if sc.Rows > limits.ImportRows {
		return tooManyRows()
	}
	if len(sc.Codes) == 0 {
		return nil // no unit named: the validation in turn says what is missing
	}
	codes := make([]string, 0, len(sc.Codes))
	for c := range sc.Codes {
		codes = append(codes, c)
	}
	outside, err := a.Store.CodesOutside(ctx, codes, me.Unit)
	if err != nil || len(outside) < len(codes) {
		return err
	}
	first := slices.MinFunc(outside, func(x, y string) int { return strings.Compare(sc.Codes[x], sc.Codes[y]) })
	return errs.New(errs.Forbidden, "mọi giá trị trong tệp đều ghi cho đơn vị ngoài phạm vi được phép ghi của bạn (%s và các đơn vị cấp dưới) hoặc không có, ví dụ đơn vị %q (%s); không có giá trị nào được ghi",
		me.Unit.Name, first, sc.Codes[first])
}
