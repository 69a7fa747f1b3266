"""The requirements are read from a file: no edit of setup.py can add one safely."""

from pathlib import Path

from setuptools import setup

setup(
    name="app",
    install_requires=Path("requirements.txt").read_text().split(),
)
