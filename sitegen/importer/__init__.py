"""sitegen.importer: bring a saved copy of the old CMS site over as Markdown articles (build.py import)."""

from .report import ImportReport
from .run import ImportFailed, ImportOptions, run_import

__all__ = ["ImportFailed", "ImportOptions", "ImportReport", "run_import"]
