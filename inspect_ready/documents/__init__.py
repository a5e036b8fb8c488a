"""Documents councils download (reports, later the self-evaluation): one model of a document
(model.py), built once from the domain, and two renderers of that model, Word (word.py) and
PDF (pdf.py), so the two formats say the same thing."""
