"""Colorization demo: Colorful Image Colorization (Zhang, Isola, Efros, ECCV 2016, arXiv:1603.08511).

`lab` converts between sRGB and CIE Lab, `bins` holds the quantized ab gamut, soft-encoding,
class rebalancing and the annealed-mean readout, `net` the ECCV16 network, `config` its settings.
"""
