"""Curated data (TOML), reviewed like code. The engine loads and validates it."""

from pathlib import Path

DIR = Path(__file__).parent
