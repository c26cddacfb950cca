"""Service stations: the list, where the worker is, the nearest ones, and the one for a case."""
