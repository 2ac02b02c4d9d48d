"""Every review rule, one module per family; importing this package registers them all."""

from . import classification, cost_time_satisfaction, name, project, scoring, type_unit, value

__all__ = ["classification", "cost_time_satisfaction", "name", "project", "scoring", "type_unit", "value"]
