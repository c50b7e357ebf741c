"""WaveNet (van den Oord et al. 2016): audio generated one mu-law sample at a time."""
