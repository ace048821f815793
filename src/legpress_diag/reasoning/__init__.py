"""The rule base applied to answers: certainty, engine, bounds, explanation, diagnosis."""
