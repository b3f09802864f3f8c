"""Pure business rules: plain values in, decisions out.

Modules here import only the standard library, :mod:`csdesk.policy`,
:mod:`csdesk.records` and :mod:`csdesk.errors`. They never read the clock, a file
or the database: every input (records, policy, ``today``) is a parameter, and they
return frozen value objects with stable codes, never translated text.
"""
