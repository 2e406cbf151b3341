package web

// cascadeRoutes: programs derived by lower levels, with their own thresholds and quotas.
func (h *Web) cascadeRoutes() []Route { return nil }
