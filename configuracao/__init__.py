"""Configuration: the environment read into settings, and the server's log format."""
