package web

// userRoutes: user management for admins of a subtree.
func (h *Web) userRoutes() []Route { return nil }
