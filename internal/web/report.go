package web

// reportRoutes: the consolidated report (báo cáo tổng hợp), HTML and XLSX.
func (h *Web) reportRoutes() []Route { return nil }
