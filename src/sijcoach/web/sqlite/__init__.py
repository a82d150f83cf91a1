"""Django's SQLite backend with writers taking turns through a lock that wakes at once (base.py)."""
