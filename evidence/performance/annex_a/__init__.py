"""The Annex A import: reading a council's Annex A workbook and computing indicators from it.

Pure functions over pandas DataFrames, with no app or database: `workbook` reads and cleans
the lists, `measures` computes the figures, `working_days` counts days the way statutory
timescales do. Child-level rows never leave these functions; only the figures are stored.
"""
