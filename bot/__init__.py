"""GongYou 工友: services behind the assistant (plain Python, testable without Rasa)."""
