"""Results out: the output model, the writers (render) and the terminal views (ui)."""
