"""Mock inspections: the case sample, grades proposed and moderated per judgement, the outcome and its record."""
