"""乡镇工作月报: load a township's monthly data, analyse it and render the monthly report."""

__version__ = "0.1.0"
