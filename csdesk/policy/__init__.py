"""The department rulebook as validated, frozen data (see resources/policy.toml)."""

from csdesk.policy.loader import build_policy, check_invariants, load_policy, merge, read_toml
from csdesk.policy.model import (
    AttendancePolicy,
    CallbackPolicy,
    Criterion,
    EventCode,
    GradeBand,
    KpiPolicy,
    LeavePolicy,
    LeaveType,
    Level,
    Policy,
    QaPolicy,
    ScoringPolicy,
    ShiftTemplate,
)

__all__ = [
    "AttendancePolicy",
    "CallbackPolicy",
    "Criterion",
    "EventCode",
    "GradeBand",
    "KpiPolicy",
    "LeavePolicy",
    "LeaveType",
    "Level",
    "Policy",
    "QaPolicy",
    "ScoringPolicy",
    "ShiftTemplate",
    "build_policy",
    "check_invariants",
    "load_policy",
    "merge",
    "read_toml",
]
