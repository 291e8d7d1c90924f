"""Running and assembling: executing notebooks, stitching, fingerprints, publishing, the index, render."""
