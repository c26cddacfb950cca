"""The operator console: accounts and sessions, the case queue, agent assist, exports, dashboard."""
