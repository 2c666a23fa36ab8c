from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from services.agendamento.ics import cancellation_ics, invitation_ics
from relogio import TZ

START = datetime(2026, 12, 22, 10, 0, tzinfo=TZ)
STAMP = datetime(2026, 12, 21, 12, 0, tzinfo=timezone.utc)


def make(**overrides) -> bytes:
    args = dict(
        uid="agendamento-42@portal.example",
        start=START,
        minutes=30,
        summary="Validação por videoconferência — e-CPF A1",
        description="Tenha em mãos o documento original com foto.",
        location_url="https://meet.example/sala/42",
        organizer_email="agenda@portal.example",
        stamp=STAMP,
    )
    args.update(overrides)
    return invitation_ics(**args)


def event_of(ics: bytes):
    return Calendar.from_ical(ics).walk("VEVENT")[0]


def test_invitation_is_a_meeting_request():
    cal = Calendar.from_ical(make())
    assert str(cal["METHOD"]) == "REQUEST"
    assert cal["PRODID"]
    assert str(cal["VERSION"]) == "2.0"


def test_start_carries_sao_paulo_tzid():
    assert b"DTSTART;TZID=America/Sao_Paulo:20261222T100000" in make()


def test_calendar_includes_sao_paulo_vtimezone():
    timezones = Calendar.from_ical(make()).walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["America/Sao_Paulo"]


def test_start_given_in_utc_is_written_in_sao_paulo_time():
    assert b"DTSTART;TZID=America/Sao_Paulo:20261222T100000" in make(start=START.astimezone(timezone.utc))


def test_event_start_and_end_parse_back():
    event = event_of(make())
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)


def test_event_carries_uid_texts_and_link():
    event = event_of(make())
    assert str(event["UID"]) == "agendamento-42@portal.example"
    assert str(event["SUMMARY"]) == "Validação por videoconferência — e-CPF A1"
    assert str(event["DESCRIPTION"]) == "Tenha em mãos o documento original com foto."
    assert str(event["URL"]) == "https://meet.example/sala/42"
    assert str(event["LOCATION"]) == "https://meet.example/sala/42"
    assert str(event["ORGANIZER"]) == "mailto:agenda@portal.example"
    assert event.decoded("DTSTAMP") == STAMP


def test_reminder_one_hour_before():
    alarms = event_of(make()).walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == timedelta(hours=-1)


def test_attendee_is_added_when_given():
    event = event_of(make(attendee_email="maria@exemplo.com.br"))
    assert str(event["ATTENDEE"]) == "mailto:maria@exemplo.com.br"


def test_reschedule_raises_sequence():
    assert int(event_of(make(sequence=2))["SEQUENCE"]) == 2


def test_same_input_gives_same_bytes():
    assert make() == make()


def test_naive_start_is_rejected():
    with pytest.raises(ValueError):
        make(start=datetime(2026, 12, 22, 10, 0))


# --- cancellation ------------------------------------------------------------------------

def cancel(**overrides) -> bytes:
    args = dict(uid="agendamento-42@portal.example", start=START, minutes=30,
                summary="Validação por videoconferência — e-CPF A1",
                organizer_email="agenda@portal.example", attendee_email="maria@exemplo.com.br",
                sequence=3, stamp=STAMP)
    args.update(overrides)
    return cancellation_ics(**args)


def test_cancellation_is_an_itip_cancel_of_the_same_event():
    convite = event_of(make(sequence=2))
    cal = Calendar.from_ical(cancel(sequence=3))
    assert str(cal["METHOD"]) == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == str(convite["UID"])
    assert int(event["SEQUENCE"]) > int(convite["SEQUENCE"])
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTSTART") == START
    assert str(event["ATTENDEE"]) == "mailto:maria@exemplo.com.br"
    assert str(event["ORGANIZER"]) == "mailto:agenda@portal.example"
    assert not event.walk("VALARM")  # nothing to remind of


def test_cancellation_needs_an_aware_start():
    with pytest.raises(ValueError):
        cancel(start=datetime(2026, 12, 22, 10, 0))
