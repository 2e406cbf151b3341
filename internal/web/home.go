package web

// homeRoutes: the user's home: their unit's programs and targets, drilled down to children.
func (h *Web) homeRoutes() []Route { return nil }
