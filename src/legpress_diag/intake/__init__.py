"""What comes in from a client: records, replies, the questionnaire's state, batches."""
