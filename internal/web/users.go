package web

import (
	"fmt"
	"mattran/internal/access"
	"mattran/internal/clock"
	"net/http"
	"net/url"
	"strings"
	"time"

	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// User management, for the admins of a subtree: they list, create and
// change the users of their own subtree only. A role is given at a unit,
// and the unit must lie in the admin's subtree, so no admin hands out
// more than they hold. An admin cannot disable, demote or move
// themselves: the last admin of a subtree could lock everyone out.
func (h *Web) userRoutes() []Route {
	return []Route{
		{"GET /users", false, h.usersList},
		{"GET /users/new", false, h.userNew},
		{"POST /users", false, h.userCreate},
		{"GET /users/{username}", false, h.userEdit},
		{"POST /users/{username}", false, h.userUpdate},
		{"POST /users/{username}/disable", false, h.userDisable},
		{"POST /users/{username}/enable", false, h.userEnable},
		{"POST /users/{username}/password", false, h.userResetPassword},
	}
}

type usersPage struct {
	Base
	Scope  string
	Rows   []userRow
	Secret *secret // a password to show once
}

// table is the user list as an Excel table. It holds no password, nor
// anything of one.
func (p usersPage) table(generated string) sheet.TableSpec {
	t := sheet.TableSpec{
		Title:     "Người dùng — " + p.Scope,
		Subtitles: []string{"Xuất lúc " + generated},
		Header:    []string{"Tên đăng nhập", "Họ và tên", "Vai trò", "Đơn vị", "Mã đơn vị", "Trạng thái"},
	}
	for _, r := range p.Rows {
		state := "Đang dùng"
		if r.Disabled {
			state = "Đã khóa"
		}
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(r.Username), sheet.Text(r.FullName), sheet.Text(r.Role), sheet.Text(r.Unit), sheet.Text(r.UnitCode), sheet.Text(state)})
	}
	return t
}

// userRow is a user as the list shows it.
type userRow struct {
	Username, FullName, Role, Unit, UnitCode string
	Disabled                                 bool
}

// secret is a generated password, shown once after it is set.
type secret struct {
	Username, Password string
}

type userFormPage struct {
	Base
	New      bool
	Self     bool // the admin is editing their own account
	Disabled bool
	Form     userForm
	Roles    []option
	Secret   *secret
	Tokens   *tokenPanel // the user's API tokens (tokens.go); nil on a new user's form
}

// userForm is the user form as typed, with an error per field.
type userForm struct {
	Username, FullName, Role, Unit, Password string
	Errors                                   map[string]string
}

// canManageUsers: only admins manage users.
func canManageUsers(s *Session) error { return access.ManageUsers(s.User, unit.Unit{}) }

func (h *Web) usersList(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := canManageUsers(s); err != nil {
		return err
	}
	page := usersPage{Base: h.base(s, "Người dùng")}
	switch {
	case r.URL.Query().Get("created") != "":
		page.Notice = "Đã tạo người dùng " + r.URL.Query().Get("created") + "."
	case r.URL.Query().Get("saved") != "":
		page.Notice = "Đã lưu thay đổi của người dùng " + r.URL.Query().Get("saved") + "."
	}
	return h.renderUsers(w, r, s, page)
}

func (h *Web) renderUsers(w http.ResponseWriter, r *http.Request, s *Session, page usersPage) error {
	page.Nav = "users"
	page.Scope = s.User.Unit.Name
	users, err := h.Store.UsersUnder(r.Context(), s.User.Unit)
	if err != nil {
		return err
	}
	for _, u := range users {
		page.Rows = append(page.Rows, userRow{Username: u.Username, FullName: u.FullName, Role: u.Role.Label(), Unit: u.Unit.Name, UnitCode: u.Unit.Code, Disabled: u.Disabled})
	}
	if r.URL.Query().Get("format") == "xlsx" && page.Secret == nil {
		return sendTable(w, "nguoi-dung-"+s.User.Unit.Code+".xlsx", page.table(vnTime(h.Now())))
	}
	return h.render(w, "users.html", page)
}

func (h *Web) userNew(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := canManageUsers(s); err != nil {
		return err
	}
	return h.renderUserForm(w, s, userFormPage{New: true, Form: userForm{Role: string(user.Officer), Unit: s.User.Unit.Code}}, http.StatusOK)
}

func (h *Web) renderUserForm(w http.ResponseWriter, s *Session, p userFormPage, status int) error {
	title := "Sửa người dùng " + p.Form.Username
	if p.New {
		title = "Thêm người dùng"
	}
	notice := p.Notice
	p.Base = h.base(s, title)
	p.Nav, p.Notice = "users", notice
	for _, r := range []user.Role{user.Viewer, user.Officer, user.Leader, user.Admin} {
		p.Roles = append(p.Roles, option{string(r), r.Label(), string(r) == p.Form.Role})
	}
	return h.renderStatus(w, status, "users_form.html", p)
}

// readUserForm parses the form and checks each field with the one
// validation of its concept, putting each error beside its field. The unit
// must be in the admin's subtree today.
func (h *Web) readUserForm(r *http.Request, s *Session, isNew bool) (userForm, user.Role, unit.Unit) {
	f := userForm{
		Username: strings.ToLower(strings.TrimSpace(r.PostFormValue("username"))),
		FullName: strings.TrimSpace(r.PostFormValue("full_name")),
		Role:     r.PostFormValue("role"),
		Unit:     strings.TrimSpace(r.PostFormValue("unit")),
		Password: r.PostFormValue("password"),
		Errors:   map[string]string{},
	}
	if isNew {
		if err := user.ValidateUsername(f.Username); err != nil {
			f.Errors["username"] = upperFirst(err.Error()) + "."
		}
		if f.Password != "" {
			if err := user.ValidatePassword(f.Password); err != nil {
				f.Errors["password"] = upperFirst(err.Error()) + "."
			}
		}
	}
	if f.FullName == "" {
		f.Errors["full_name"] = "Hãy nhập họ tên."
	} else if msg := limits.TooLong("Họ tên", f.FullName, limits.FullName); msg != "" {
		f.Errors["full_name"] = msg
		f.FullName = string([]rune(f.FullName)[:limits.FullName]) // shown again, not 1.5 MB of it
	}
	role, err := user.ParseRole(f.Role)
	if err != nil {
		f.Errors["role"] = upperFirst(err.Error()) + "."
	}
	var u unit.Unit
	switch today := h.Now().In(clock.Zone).Format(time.DateOnly); {
	case f.Unit == "":
		f.Errors["unit"] = "Hãy nhập mã đơn vị."
	default:
		u, err = h.Store.UnitAt(r.Context(), f.Unit, today)
		switch {
		case errs.CodeOf(err) == errs.NotFound:
			f.Errors["unit"] = "Không có đơn vị mã " + f.Unit + " vào ngày " + vnDate(today) + "."
		case err != nil:
			f.Errors["unit"] = "Không đọc được đơn vị: " + err.Error()
		case access.ManageUsers(s.User, u) != nil:
			f.Errors["unit"] = "Đơn vị " + u.Name + " nằm ngoài phạm vi quản lý của bạn (" + s.User.Unit.Name + " và các đơn vị cấp dưới)."
		}
	}
	return f, role, u
}

// formStatus is the status of a user form shown again with its errors:
// 403 when the unit asked for lies outside the admin's subtree (a request
// beyond their rights, whatever else is wrong), else 400.
func formStatus(s *Session, u unit.Unit) int {
	if u.ID != 0 && access.ManageUsers(s.User, u) != nil {
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

func (h *Web) userCreate(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := canManageUsers(s); err != nil {
		return err
	}
	f, role, u := h.readUserForm(r, s, true)
	page := userFormPage{New: true, Form: f}
	if len(f.Errors) > 0 {
		return h.renderUserForm(w, s, page, formStatus(s, u))
	}
	password, generated := f.Password, f.Password == ""
	if generated {
		password = user.NewPassword()
	}
	created, err := h.Store.CreateUser(r.Context(), s.User.Actor(), store.NewUser{Username: f.Username, FullName: f.FullName, Role: role, Unit: u, Password: password})
	if errs.CodeOf(err) == errs.Conflict {
		page.Form.Errors["username"] = "Tên đăng nhập " + f.Username + " đã có người dùng."
		return h.renderUserForm(w, s, page, http.StatusConflict)
	}
	if err != nil {
		return err
	}
	if !generated {
		return redirect(w, r, "/users?created="+urlQueryEscape(created.Username))
	}
	// The generated password is shown on this answer only: it is not
	// stored anywhere it could be shown again.
	list := usersPage{Base: h.base(s, "Người dùng"), Secret: &secret{created.Username, password}}
	list.Notice = "Đã tạo người dùng " + created.Username + "."
	return h.renderUsers(w, r, s, list)
}

// target is the user a /users/{username} route names, if the admin may
// manage them.
func (h *Web) target(r *http.Request, s *Session) (user.User, error) {
	if err := canManageUsers(s); err != nil {
		return user.User{}, err
	}
	u, err := h.Store.UserByUsername(r.Context(), r.PathValue("username"))
	if err != nil {
		return u, err
	}
	if access.ManageUsers(s.User, u.Unit) != nil {
		return u, errs.New(errs.Forbidden, "Người dùng %s thuộc %s, ngoài phạm vi quản lý của bạn.", u.Username, u.Unit.Name)
	}
	return u, nil
}

func formOf(u user.User) userForm {
	return userForm{Username: u.Username, FullName: u.FullName, Role: string(u.Role), Unit: u.Unit.Code}
}

func (h *Web) userEdit(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.target(r, s)
	if err != nil {
		return err
	}
	page := userFormPage{Form: formOf(u), Self: u.ID == s.User.ID, Disabled: u.Disabled}
	if r.URL.Query().Get("revoked") != "" {
		page.Notice = "Đã thu hồi mã truy cập của " + u.Username + "."
	}
	return h.renderUserPage(w, r, s, page, nil, http.StatusOK)
}

// renderUserPage renders an existing user's page with their API tokens;
// adjust, when given, sets what the token panel shows besides the list.
func (h *Web) renderUserPage(w http.ResponseWriter, r *http.Request, s *Session, page userFormPage, adjust func(*tokenPanel), status int) error {
	u, err := h.Store.UserByUsername(r.Context(), page.Form.Username)
	if err != nil {
		return err
	}
	panel, err := h.tokenPanel(r, s, u, "/users/"+url.PathEscape(u.Username)+"/tokens")
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(&panel)
	}
	page.Tokens = &panel
	return h.renderUserForm(w, s, page, status)
}

func (h *Web) userUpdate(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.target(r, s)
	if err != nil {
		return err
	}
	f, role, n := h.readUserForm(r, s, false)
	f.Username = u.Username
	self := u.ID == s.User.ID
	if self && len(f.Errors) == 0 && (role != u.Role || n.ID != u.Unit.ID) {
		f.Errors["role"] = "Bạn không thể tự đổi vai trò hoặc đơn vị của mình; hãy nhờ quản trị viên cấp trên."
	}
	page := userFormPage{Form: f, Self: self, Disabled: u.Disabled}
	if len(f.Errors) > 0 {
		return h.renderUserForm(w, s, page, formStatus(s, n))
	}
	if _, err := h.Store.UpdateUser(r.Context(), s.User.Actor(), u.ID, f.FullName, role, n); err != nil {
		return err
	}
	return redirect(w, r, "/users?saved="+urlQueryEscape(u.Username))
}

func (h *Web) userDisable(w http.ResponseWriter, r *http.Request, s *Session) error {
	return h.setDisabled(w, r, s, true)
}

func (h *Web) userEnable(w http.ResponseWriter, r *http.Request, s *Session) error {
	return h.setDisabled(w, r, s, false)
}

func (h *Web) setDisabled(w http.ResponseWriter, r *http.Request, s *Session, disabled bool) error {
	u, err := h.target(r, s)
	if err != nil {
		return err
	}
	if u.ID == s.User.ID {
		return errs.New(errs.Forbidden, "Bạn không thể tự khóa tài khoản của mình.")
	}
	if err := h.Store.SetDisabled(r.Context(), s.User.Actor(), u.ID, disabled); err != nil {
		return err
	}
	return redirect(w, r, "/users?saved="+urlQueryEscape(u.Username))
}

// userResetPassword sets a generated password, shown once, and signs the
// user out everywhere; if the admin asks (the box is ticked by default: a
// reset usually means the password got out), it revokes their API tokens
// too.
func (h *Web) userResetPassword(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.target(r, s)
	if err != nil {
		return err
	}
	password, keep := user.NewPassword(), ""
	if u.ID == s.User.ID {
		keep = s.Token // an admin resetting their own keeps this session
	}
	revoked := 0
	if r.PostFormValue("revoke_tokens") != "" {
		// Before the password: should setting it fail, the tokens are
		// revoked anyway, which errs on the safe side.
		if revoked, err = h.Store.RevokeTokens(r.Context(), s.User.Actor(), u); err != nil {
			return err
		}
	}
	if err := h.Store.SetPassword(r.Context(), s.User.Actor(), u, password, keep); err != nil {
		return err
	}
	page := userFormPage{Form: formOf(u), Self: u.ID == s.User.ID, Disabled: u.Disabled, Secret: &secret{u.Username, password}}
	page.Notice = "Đã đặt lại mật khẩu của " + u.Username + "; mọi phiên đăng nhập của người này đã bị đăng xuất."
	if revoked > 0 {
		page.Notice += fmt.Sprintf(" Đã thu hồi %d mã truy cập API.", revoked)
	}
	return h.renderUserPage(w, r, s, page, nil, http.StatusOK)
}
