"""After the draft (contract §6): follow-ups to the worker, sent once when due, and their answers."""
