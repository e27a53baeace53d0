"""The benchmark reference model (``../shared/bench/README.md``) as a shadowspec specification.

``reference_space(R, V, symmetry=False)`` is its ``PackedSpace``; ``ReferenceSystem`` its generic
composition (initial state and successors over tuples of interned local ids).
"""

from .packed import ReferenceSpace, reference_space
from .system import ReferenceSystem

__all__ = ["ReferenceSpace", "ReferenceSystem", "reference_space"]
