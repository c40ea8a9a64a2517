"""Right-censored samples: the censored log-likelihood through the same statistics and planner
as a complete sample (sample), its numeric form (numeric, optimum) and its steps (steps)."""
