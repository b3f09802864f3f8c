"""Translatable names of the stable codes (rules.md Appendix A), for windows and printouts.

Codes never change meaning; these names are marked ``N_`` and translated when
shown, next to the code (e.g. "M01 迟到或早退").
"""

from __future__ import annotations

from csdesk.i18n import N_, _

ROLE_NAMES = {
    "director": N_("Centre director"),
    "supervisor": N_("Supervisor"),
    "team_lead": N_("Team lead"),
    "trainer": N_("Trainer"),
    "qa": N_("QA inspector"),
    "agent": N_("Agent"),
}

LEVEL_NAMES = {
    "trainee": N_("Trainee"),
    "junior": N_("Junior agent"),
    "intermediate": N_("Intermediate agent"),
    "senior": N_("Senior agent"),
    "reserve": N_("Reserve supervisor"),
}

DAY_STATUS_NAMES = {
    "ON": N_("On time"),
    "LATE": N_("Late"),
    "EARLY": N_("Early leave"),
    "LATE_EARLY": N_("Late and early leave"),
    "ABSENT": N_("Absence"),
    "LEAVE": N_("On leave"),
    "REST": N_("Rest day"),
    "HOLIDAY": N_("Public holiday"),
    "MISSED": N_("Missed punch"),
    "NOSHIFT": N_("Not scheduled"),
}

SHIFT_NAMES = {"D": N_("Day shift"), "E": N_("Evening shift"), "R": N_("Rest")}

LEAVE_NAMES = {
    "PERSONAL": N_("Personal leave"),
    "SICK": N_("Sick leave"),
    "MARRIAGE": N_("Marriage leave"),
    "MATERNITY": N_("Maternity leave"),
    "NURSING": N_("Nursing leave"),
    "BEREAVEMENT": N_("Bereavement leave"),
    "INJURY": N_("Work-injury leave"),
    "ANNUAL": N_("Annual leave"),
}

CRITERION_NAMES = {
    "service_quality": N_("Service quality"),
    "execution": N_("Execution of tasks and on-site reception"),
    "collaboration": N_("Collaboration and communication"),
    "discipline": N_("Discipline and work attitude"),
}

KPI_NAMES = {
    "satisfaction": N_("Customer satisfaction"),
    "complaint_rate": N_("Complaint rate"),
    "response_time": N_("Response time"),
    "resolution_rate": N_("Resolution rate"),
}

# The unit each raw KPI is measured in (rules.md §6); a site-added KPI shows none.
KPI_UNITS = {
    "satisfaction": N_("percent satisfied"),
    "complaint_rate": N_("complaints per 1,000 contacts"),
    "response_time": N_("seconds on average"),
    "resolution_rate": N_("percent resolved at first contact"),
}

# The 360 evaluators (rules.md §6: self 20 / supervisor 30 / customer 50).
EVALUATOR_NAMES = {
    "self": N_("Self-evaluation"),
    "supervisor": N_("Supervisor evaluation"),
    "customer": N_("Customer evaluation"),
}

KPI_TIER_NAMES = {
    "excellent": N_("Excellent"),
    "good": N_("Good"),
    "qualified": N_("Qualified"),
    "unqualified": N_("Unqualified"),
}

EVENT_KIND_NAMES = {
    "bonus": N_("Bonus"),
    "minor": N_("Minor violation"),
    "moderate": N_("Moderate violation"),
    "severe": N_("Severe violation"),
    "dismissal": N_("Dismissal item"),
}

EVENT_NAMES = {
    "B01": N_("Top workload and quality of the month, no violation"),
    "B02": N_("Full marks in the monthly service exam"),
    "B03": N_("Came in to cover a shift in an emergency"),
    "B04": N_("Extra work for superiors on top of own work"),
    "B05": N_("Zero valid complaints in the month"),
    "B06": N_("Team suggestion adopted after a trial"),
    "M01": N_("Late arrival or early leave"),
    "M02": N_("Desk messy at shift change"),
    "M03": N_("Did not tidy up after the shift"),
    "M04": N_("Handover record not completed carefully"),
    "M05": N_("Slow, impatient or hostile reply to a complaint"),
    "M06": N_("Away from the post over 5 minutes without telling a superior"),
    "M07": N_("Service task not done in time"),
    "M08": N_("Non-work chat during working hours"),
    "M09": N_("Loud noise in the office"),
    "M10": N_("Smoking or eating at the desk"),
    "M11": N_("Data-entry error"),
    "M12": N_("Emergency handled 1–10 minutes late"),
    "M13": N_("Supervisor spot check, per error"),
    "D01": N_("Films or games during working hours"),
    "D02": N_("Falsified workload records"),
    "D03": N_("Abnormal situation not reported, or left without approval"),
    "D04": N_("Installed software without permission"),
    "D05": N_("Skipped unresolved problems or records"),
    "D06": N_("Missed the regular meeting without leave"),
    "D07": N_("Service exam score below 60"),
    "D08": N_("Emergency handled 11–30 minutes late"),
    "S01": N_("Absence"),
    "S02": N_("Dispute with a customer (valid complaint)"),
    "S03": N_("Brought outsiders into the work area"),
    "S04": N_("Removed company equipment"),
    "S05": N_("Emergency handled over 30 minutes late"),
    "S06": N_("Bad month: two or more moderate or four or more minor violations"),
    "X01": N_("Sleeping on duty"),
    "X02": N_("Hung up the service line so customers cannot get through"),
    "X03": N_("Formed cliques, undermined the team"),
    "X04": N_("Abused power, favouritism"),
}

CALLBACK_KIND_NAMES = {
    "SALE1": N_("Service call 1"),
    "SALE2": N_("Service call 2"),
    "SALE3": N_("Service call 3"),
    "SALE4": N_("Service call 4"),
    "BIRTHDAY": N_("Birthday call"),
    "COMPLAINT": N_("Complaint"),
    "ENQUIRY": N_("Enquiry"),
    "REVIEW": N_("Bad review follow-up"),
    "RETRY": N_("Retry of a failed call"),
}

OUTCOME_NAMES = {
    "REACHED": N_("Reached"),
    "BUSY_RESCHEDULED": N_("Busy, rescheduled"),
    "NO_ANSWER": N_("No answer"),
    "WRONG_NUMBER": N_("Wrong number"),
    "REFUSED": N_("Refused"),
}

FLAG_NAMES = {
    "DISMISSAL_WARNING": N_("Dismissal warning"),
    "EXAM_RETAKE": N_("Exam retake"),
    "PROMOTION_ELIGIBLE": N_("Eligible for promotion"),
    "DEMOTION_WARNING": N_("Demotion warning"),
    "DISMISSAL_ITEM": N_("Dismissal item"),
    "DISCIPLINARY_REVIEW": N_("Disciplinary review"),
    "ABSENCE_PAY_CUT": N_("Pay cut for consecutive absences"),
    "LEAVE_CAP_EXCEEDED": N_("Yearly leave cap exceeded"),
}


def name_of(table: dict[str, str], code: str) -> str:
    """The translated name of ``code``; a site-added code without a name shows as itself."""
    if code.startswith("LEAVE:"):
        return _(LEAVE_NAMES.get(code[6:], code[6:]))
    msgid = table.get(code)
    return _(msgid) if msgid else code


def event_label(code: str) -> str:
    """``M01 Late arrival or early leave``, in the current language."""
    return f"{code} {name_of(EVENT_NAMES, code)}"


def flag_label(flag: str) -> str:
    """``PROMOTION_ELIGIBLE:senior`` → 'Eligible for promotion: Senior agent'."""
    code, _sep, arg = flag.partition(":")
    text = name_of(FLAG_NAMES, code)
    if arg:
        extra = name_of(LEVEL_NAMES, arg) if arg in LEVEL_NAMES else event_label(arg) if arg in EVENT_NAMES else arg
        text = f"{text}: {extra}"
    return text
