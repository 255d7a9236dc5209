"""The match probability at which two spellings join one entity, by default.

Apart from :mod:`jiancha.resolve.service` (which loads Splink) so ``jiancha resolve --help``
can show it without loading the linker.
"""

#: A pair joins when a match is more likely than not. The model's prior is that of a pair in the
#: same trade-name block (``linker``), so the probability means the same at any lake size.
DEFAULT_THRESHOLD = 0.5
