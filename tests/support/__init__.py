"""What tests share that is not a fixture: settings, HTTP helpers, data builders, browser steps.

Fixtures stay in the conftest.py files; they build on these modules.
"""
