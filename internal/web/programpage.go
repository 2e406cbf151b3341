package web

// programRoutes: the action program read as a document, with live status.
func (h *Web) programRoutes() []Route { return nil }
