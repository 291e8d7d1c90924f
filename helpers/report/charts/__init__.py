"""The report's charts, one module per family; each chart takes an analysis DataFrame and returns a closed Figure.

Every figure is made by :func:`helpers.report.charts.figure.new_figure` in the house style of
:mod:`helpers.report.style` (CJK font, one palette, status colours that mean the same everywhere), through
pyplot so that Jupyter's inline backend knows how to display it, and closed again before it is returned:
nothing stays registered in pyplot, a notebook displays the returned figure once, a test saves it.
"""
