"""The routes, one module per journey, each a blueprint named `bp`.

A view reads the request, calls services in `evidence/` or `councils/`, and renders a
template or redirects. It holds no SQL (import-linter refuses sqlalchemy and the database
handle here) and never commits: `inspect_ready.transactions` commits after a request that
ends well. Every view declares who may use it (`inspect_ready.permissions`).
"""
