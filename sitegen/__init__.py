"""sitegen: a static site generator for the news archive of a county People's Congress."""

from .config import Config, load_config
from .pipeline import BuildOptions, BuildReport, build
from .problems import BuildFailed, Problem

__all__ = ["BuildFailed", "BuildOptions", "BuildReport", "Config", "Problem", "build", "load_config"]
