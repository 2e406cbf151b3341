package web

// excelRoutes: the Excel template download and upload.
func (h *Web) excelRoutes() []Route { return nil }
