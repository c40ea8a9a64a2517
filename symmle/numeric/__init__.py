"""The numeric core: optimisation on compiled functions, free of SymPy and of any model."""
