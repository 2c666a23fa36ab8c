"""Holders and assignment: assignments, links, the request and its data, the termo, batches, spreadsheets, lists, export and the interactive help."""
