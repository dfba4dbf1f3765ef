from .assignment import Assignment
from .expert import Expert, ExpertConflict

__all__ = ["Assignment", "Expert", "ExpertConflict"]
