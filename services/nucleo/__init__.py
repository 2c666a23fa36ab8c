"""The core every area uses: the lifecycle, refusals, clock, pagination, input cleaning, formatting, secrets, the one-time form key and the mail outbox."""
