"""The core every area uses: the lifecycle, refusals, clock, pagination, input cleaning, formatting, secrets and the mail outbox."""
