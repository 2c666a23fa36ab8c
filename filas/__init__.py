"""Background work: the Huey queue, its jobs and the consumer's entry point."""
