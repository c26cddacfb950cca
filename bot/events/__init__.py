"""Rasa's tracker events from RabbitMQ turned into the operator dashboard's statistics."""
