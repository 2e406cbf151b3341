package web

import (
	"errors"
	"net/http"

	"mattran/internal/access"
	"mattran/internal/api"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// userImportRoutes: accounts created in bulk from a CSV file, one officer
// and one leader for each commune of a province at once.
func (h *Web) userImportRoutes() []Route {
	return []Route{
		{"GET /import/users", false, h.userImportForm},
		{"POST /import/users", false, h.userImport},
	}
}

type userImportPage struct {
	Base
	Scope    string
	Error    string
	Problems []string
	Created  []store.Imported
	Made     int // passwords made up, to hand out
}

func (h *Web) userImportForm(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := access.ManageUsers(s.User, unit.Unit{}); err != nil {
		return err
	}
	return h.render(w, "users_import.html", h.userImportPage(s))
}

func (h *Web) userImportPage(s *Session) *userImportPage {
	page := &userImportPage{Base: h.base(s, "Nhập người dùng từ tệp CSV"), Scope: s.User.Unit.Name}
	page.Nav = "users"
	return page
}

// userImport creates the accounts of an uploaded file, all or none. The
// answer lists them with the passwords made up for them, shown this once;
// a refused file is answered with every wrong row and cell.
func (h *Web) userImport(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := access.ManageUsers(s.User, unit.Unit{}); err != nil {
		return err
	}
	page := h.userImportPage(s)
	file, _, err := r.FormFile("file")
	if err != nil {
		page.Error = "Hãy chọn tệp CSV người dùng rồi bấm «Nhập»."
		return h.renderStatus(w, http.StatusBadRequest, "users_import.html", page)
	}
	defer file.Close()
	rows, err := user.ParseImport(file)
	var refused *user.ImportError
	if errors.As(err, &refused) && len(rows) > 0 {
		// The database's checks too, so every error shows at once.
		if cerr := h.Store.ImportProblems(r.Context(), s.User.Unit, rows, clock.Today(h.Now()), refused); cerr != nil {
			return cerr
		}
	}
	if err == nil {
		page.Created, err = h.Store.ImportUsers(r.Context(), s.User.Actor(), s.User.Unit, rows, clock.Today(h.Now()))
	}
	if err != nil {
		var ie *user.ImportError
		e, ok := errs.As(err)
		switch {
		case errors.As(err, &ie):
			page.Error, page.Problems = ie.Err.Message, ie.Problems
		case ok && e.Code == errs.Invalid:
			page.Error = e.Message
		default:
			return err
		}
		return h.renderStatus(w, api.Status(errs.CodeOf(err)), "users_import.html", page)
	}
	for _, c := range page.Created {
		if c.Password != "" {
			page.Made++
		}
	}
	page.Notice = "Đã tạo người dùng từ tệp."
	return h.render(w, "users_import.html", page)
}
