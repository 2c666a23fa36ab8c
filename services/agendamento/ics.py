"""iCalendar messages for the validation videoconference (RFC 5545 / iTIP REQUEST and CANCEL)."""

from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event, vCalAddress

import relogio
from relogio import TZ

PRODID = "-//Area do Cliente e-CPF//Agendamento de videoconferencia//PT-BR"


def invitation_ics(
    uid: str,
    start: datetime,
    minutes: int,
    summary: str,
    description: str,
    location_url: str,
    organizer_email: str,
    *,
    attendee_email: str | None = None,
    sequence: int = 0,
    stamp: datetime | None = None,
    location: str | None = None,
) -> bytes:
    """Return the .ics bytes of a meeting request.

    ``location`` (a street address, in person) replaces ``location_url`` as LOCATION; the
    URL stays ``location_url`` (then a map link).

    Keep ``uid`` stable for one booking and raise ``sequence`` on each reschedule,
    so calendar apps update the event instead of adding a second one.
    ``stamp`` (DTSTAMP) defaults to now; pass it for reproducible output.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be a timezone-aware datetime")
    local_start = start.astimezone(TZ)  # written with TZID=America/Sao_Paulo
    stamp = stamp or relogio.agora()

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(timezone.utc))
    event.add("sequence", sequence)
    event.add("dtstart", local_start)
    event.add("dtend", local_start + timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", location or location_url)
    event.add("url", location_url)
    event.add("organizer", _address(organizer_email))
    if attendee_email:
        # iTIP requires an attendee in a REQUEST; RSVP is off since nobody processes replies.
        attendee = _address(attendee_email)
        attendee.params.update({"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"})
        event.add("attendee", attendee)
    event.add_component(_reminder(summary))
    return _calendar("REQUEST", event, local_start)


def cancellation_ics(
    uid: str,
    start: datetime,
    minutes: int,
    summary: str,
    organizer_email: str,
    *,
    attendee_email: str | None = None,
    sequence: int,
    stamp: datetime | None = None,
) -> bytes:
    """Return the .ics bytes that withdraw an invitation (iTIP CANCEL).

    ``uid`` must be the invitation's and ``sequence`` higher than its last one: calendar
    apps then remove (or strike out) that event instead of ignoring the message.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be a timezone-aware datetime")
    local_start = start.astimezone(TZ)
    stamp = stamp or relogio.agora()

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(timezone.utc))
    event.add("sequence", sequence)
    event.add("status", "CANCELLED")
    event.add("dtstart", local_start)
    event.add("dtend", local_start + timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("organizer", _address(organizer_email))
    if attendee_email:
        event.add("attendee", _address(attendee_email))
    return _calendar("CANCEL", event, local_start)


def _calendar(method: str, event: Event, local_start: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(event)
    # Rules from the call's year on suffice; the full history since 1970
    # (Brazil's old daylight saving) would only bloat the file.
    cal.add_missing_timezones(first_date=date(local_start.year, 1, 1))
    return cal.to_ical()


def _address(email: str) -> vCalAddress:
    return vCalAddress(f"mailto:{email}")


def _reminder(summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Lembrete: {summary}")
    alarm.add("trigger", timedelta(hours=-1))
    return alarm
