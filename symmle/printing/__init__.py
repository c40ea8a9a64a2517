"""Printing SymPy expressions: LaTeX and Unicode printers and the notation they print."""
