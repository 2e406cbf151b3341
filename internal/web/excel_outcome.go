package web

import (
	"net/url"

	"mattran/internal/access"
	"mattran/internal/imports"
)

// uploadOutcome fills the Excel page's "Đã nhập tệp" line from the
// server's own record of the upload, the import job named by ?done=: its
// file, whether it was only checked, and its counts. The address names
// the job and nothing else, so a crafted link (?done=1&imported=999)
// shows no false success. A job that is not the user's, not finished
// well, or no longer held (results are kept an hour, on the server that
// took the file) shows no success line.
func (h *Web) uploadOutcome(s *Session, id string, p *excelPage) {
	job, ok := h.importQueue().Job(id)
	if !ok || access.ReadImport(s.User, job.Owner) != nil {
		p.Notice = "Không còn kết quả của tệp này trên máy chủ (kết quả được giữ một giờ). Hãy xem số liệu ở trang Nhập số liệu."
		return
	}
	st := h.importQueue().Status(job)
	if st.State != imports.Done || st.Err != nil {
		return
	}
	back, _ := url.Parse(job.Back)
	var q url.Values
	if back != nil {
		q = back.Query()
	}
	p.Loaded = true
	p.UploadedName = q.Get("file")
	p.DryRun = q.Get("dry") != ""
	p.Imported, p.Updated, p.Ignored = st.Summary.Imported, st.Summary.Updated, st.Summary.Ignored
}
