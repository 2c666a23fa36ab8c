"""Purchases, boletos (FEBRABAN numbers and the PDF), PIX, payments and the purchase lists."""
