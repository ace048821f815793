"""Everything that draws on a terminal. The only package that imports rich."""
