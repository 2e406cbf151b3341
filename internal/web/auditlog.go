package web

// auditRoutes: the audit log page for admins and leaders.
func (h *Web) auditRoutes() []Route { return nil }
