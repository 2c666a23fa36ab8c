"""The demo AC, emission, the e-CPF profile, renewal and the certificate test."""
