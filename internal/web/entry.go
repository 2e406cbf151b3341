package web

// entryRoutes: data entry forms per (form, unit, period).
func (h *Web) entryRoutes() []Route { return nil }
