"""Imports of other apps' and devices' files: the client's uploads, the trainer's view of them."""
