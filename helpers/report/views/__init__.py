"""The notebooks' views by role; notebooks reach them through :mod:`helpers.report.notebook`, their one import.

Every view takes the :class:`~helpers.report.views.context.Context` and returns something ``display()`` shows:
a pandas Styler, a matplotlib Figure, a list of Figures, or IPython HTML. Views are township-agnostic: they
iterate over the indicators a township has, so the same notebook serves any township folder.
"""
