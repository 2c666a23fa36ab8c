"""The database: one connection per request, from a pool on PostgreSQL."""
