"""Chinese NLU for GongYou: text clean-up, number reading, entity normalisation."""
