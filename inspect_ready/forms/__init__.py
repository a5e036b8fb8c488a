"""The form classes, one module per journey (named as in views/), and `fields`: the pieces
they share (the GOV.UK day-month-year date input, whole numbers, choices by name)."""
