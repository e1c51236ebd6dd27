"""The classes fitbud/extensions.py builds its objects from: Fitbud's subclasses of its extensions' classes.

Every module here imports nothing of Fitbud, so extensions.py stays a leaf that any layer may import
(an import-linter contract keeps it so).
"""
