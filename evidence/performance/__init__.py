"""Performance data: indicators with targets and England figures, monthly values, and the Annex A import."""
