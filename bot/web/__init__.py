"""GongYou's web side on port 8000: the case API (contract §4) and health check."""
