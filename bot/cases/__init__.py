"""Draft cases: the database, the rules of a case's life, and the client actions use to reach it."""
