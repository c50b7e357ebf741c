"""PyTorch models behind Marginalia's demos, one package per demo (none imports `app`)."""
