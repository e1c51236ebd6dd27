"""Accepting a client invitation: the client creates their login."""
