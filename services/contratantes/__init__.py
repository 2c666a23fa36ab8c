"""Who buys: accounts (and, next, organisations, memberships and the ownership gate)."""
