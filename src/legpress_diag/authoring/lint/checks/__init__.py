"""One module per lint check; see ``registry`` for the list."""
