package web

import (
	"context"
	"mattran/internal/clock"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"mattran/internal/access"
	"mattran/internal/api"
	"mattran/internal/errs"
	"mattran/internal/imports"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/value"
)

// An Excel upload is read and checked against its template at once (a
// wrong file is refused on the spot), then written in its turn in the
// server's import queue (package imports), one file at a time. When no
// other file is ahead, the answer waits for the result, as before; when
// one is, or the writing takes long, the officer is sent to a page that
// says where the file stands and reloads itself until it is written.

// importQueue is the server's import queue.
func (h *Web) importQueue() *imports.Queue {
	h.queueOnce.Do(func() {
		if h.Imports == nil {
			h.Imports = &imports.Queue{Now: h.Store.Now}
		}
	})
	return h.Imports
}

// receivingKey holds, in an upload's context, the release of its slot for
// reading bodies (Queue.Receive).
type receivingKey struct{}

// uploadQueued gives back the upload's reading slot: the file is read
// and waits in the queue now, and takes no more than its place there.
func uploadQueued(r *http.Request) {
	if release, ok := r.Context().Value(receivingKey{}).(func()); ok {
		release()
	}
}

// excelWait is how long an upload's answer waits for its file to be
// written when nothing was ahead of it; past that, the waiting page.
const excelWait = 20 * time.Second

func (h *Web) excelQueueRoutes() []Route {
	return []Route{
		{"GET /excel/imports/{id}", false, h.excelImportPage},
	}
}

// queueUpload queues an upload's checked rows and answers: with the
// result when it comes soon, else with the waiting page.
func (h *Web) queueUpload(w http.ResponseWriter, r *http.Request, s *Session, x excelRequest, page excelPage, filename string, spec sheet.Spec, rows []value.Row, dry bool) error {
	opts := store.ImportOptions{
		Actor:  s.User.Actor(),
		Scope:  s.User.Unit,
		Source: "Excel " + filename,
		Today:  clock.Today(h.Now()),
		DryRun: dry,
	}
	back := url.Values{"file": {filename}}
	if dry {
		back.Set("dry", "1")
	}
	// The file is written even if the officer closes the page: the
	// waiting page, or the Excel page, tells them how it went.
	job, err := h.importQueue().Submit(context.WithoutCancel(r.Context()), s.User.ID, "Excel "+filename, "/excel?"+x.query()+"&"+back.Encode(),
		func(ctx context.Context) (value.Summary, error) {
			sum, err := h.Store.ImportValues(ctx, rows, opts)
			// The store names a refused value by its row, which is the
			// Excel row, and its element: name the cell instead, as the
			// parser names its own ("Ô D14").
			if e, ok := errs.As(err); ok {
				for i, d := range e.Details {
					if d.Cell == "" && d.Row > 0 {
						e.Details[i].Cell = spec.CellOf(d.Row, d.Args.Element)
					}
				}
			}
			return sum, err
		})
	if e, ok := errs.As(err); ok && e.Code == errs.TooMany {
		page.ErrorMessage, page.UploadedName = e.Message, filename
		w.Header().Set("Retry-After", "60")
		return h.renderStatus(w, http.StatusTooManyRequests, "excel.html", page)
	}
	if err != nil {
		return err
	}
	uploadQueued(r)
	if job.Arrived == 0 {
		select {
		case <-job.Done():
			return h.excelImportResult(w, r, s, job)
		case <-time.After(excelWait):
		case <-r.Context().Done():
			return r.Context().Err()
		}
	}
	return redirect(w, r, "/excel/imports/"+job.ID)
}

type excelWaitPage struct {
	Base
	Label    string
	Position int
	Running  bool
	Waited   string
	Back     string
}

// excelImportPage says where an uploaded file stands, reloading itself
// every few seconds, and shows the result once it is written or refused.
func (h *Web) excelImportPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	job, ok := h.importQueue().Job(r.PathValue("id"))
	if !ok || access.ReadImport(s.User, job.Owner) != nil {
		return errs.New(errs.NotFound, "Không có tệp %s của bạn trong hàng đợi của máy chủ này. Kết quả được giữ một giờ; hãy xem lại số liệu ở trang Nhập số liệu.", r.PathValue("id"))
	}
	st := h.importQueue().Status(job)
	if st.State == imports.Done || st.State == imports.Failed {
		return h.excelImportResult(w, r, s, job)
	}
	page := excelWaitPage{Base: h.base(s, "Tệp đang chờ ghi"), Label: job.Label, Position: st.Position, Running: st.State == imports.Running,
		Waited: vnSeconds(st.Waited), Back: job.Back}
	page.Nav, page.Refresh = "entry", 3
	return h.render(w, "excel_wait.html", page)
}

// excelImportResult shows a finished upload as the Excel page did before
// queueing: the counts, or every bad cell.
func (h *Web) excelImportResult(w http.ResponseWriter, r *http.Request, s *Session, job *imports.Job) error {
	st := h.importQueue().Status(job)
	to, err := url.Parse(job.Back)
	if err != nil {
		return err
	}
	q := to.Query()
	if st.Err == nil {
		// The page reads the counts from the job, not from its address.
		q.Set("done", job.ID)
		to.RawQuery = q.Encode()
		return redirect(w, r, to.String())
	}
	e, ok := errs.As(st.Err)
	if !ok || e.Code == errs.Internal {
		return st.Err
	}
	x, err := h.parseExcelRequest(r, s, q.Get)
	if err != nil {
		return err
	}
	page, err := h.newExcelPage(r, s, x)
	if err != nil {
		return err
	}
	page.ErrorMessage, page.Errors, page.UploadedName = e.Message, e.Details, q.Get("file")
	return h.renderStatus(w, api.Status(e.Code), "excel.html", page)
}

// vnSeconds writes a wait as people say it: "12 giây", "3 phút".
func vnSeconds(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(d.Seconds())) + " giây"
	}
	return strconv.Itoa(int(d.Minutes())) + " phút"
}
