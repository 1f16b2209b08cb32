"""Entry point for ``python -m analysis``."""

from analysis.cli import entry_point

if __name__ == "__main__":
    entry_point()
