"""Style-transfer demo (Gatys et al. 2015; Texture Networks, Ulyanov et al. 2016; Johnson et al.
2016), work in progress: not registered yet (models/registry.py still lists it as planned).

What works: random multi-scale features and Gram losses (`features`), Gatys' optimisation and
texture synthesis (`optimise`), four generators trained here (`train`, `weights/`), a held-out
style classifier (`evaluate`), the page widget (`page/`). What keeps it planned: the fast
generators keep the artworks' colours and strokes but blur the photo, the `hexagons` generator
is not recognised as its style (card: 0.01 of crops), and no texture generator ships yet.
"""
