package web

import "net/http"

// notifyRoutes: the user's notices (package notify) show on their home
// page; this marks them read.
func (h *Web) notifyRoutes() []Route {
	return []Route{
		{"POST /notifications/read", false, h.readNotifications},
	}
}

// readNotifications marks every notice of the user as read, and returns
// to the list.
func (h *Web) readNotifications(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := h.Store.MarkNotificationsRead(r.Context(), s.User); err != nil {
		return err
	}
	return redirect(w, r, "/home#thong-bao")
}
