package web

// submissionRoutes: submission, approval, deadlines and completeness.
func (h *Web) submissionRoutes() []Route { return nil }
