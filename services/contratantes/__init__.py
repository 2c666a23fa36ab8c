"""Who buys: accounts and the ownership gate (`posse`); next, organisations and memberships."""
