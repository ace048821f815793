"""Rule files in, a compiled rule base out: sources, YAML, schema, loader, conditions."""
