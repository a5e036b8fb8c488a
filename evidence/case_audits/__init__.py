"""Case file audits: recorded from a template, moderated, escalated when a child may be at risk, imported."""
