"""Packaged with setuptools; no dependency declared yet (as jmespath 1.0.1)."""

from setuptools import find_packages, setup

setup(
    name="app",
    version="0.1.0",
    packages=find_packages(),
    python_requires=">=3.12",
)
