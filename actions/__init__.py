"""rasa-sdk custom actions: thin adapters from slots to the services in `bot/`."""
