"""Input channels: turn a platform's message into a Rasa message, and nothing else."""
