"""The tools for seeing the layers: computational graphs (``graph``), their drawing (``draw``),
the op nodes graphs are built from (``nodes``), and sliders (``sliders``)."""
