"""Scheduling: the calendar rules, the bookings (video and in person) and .ics invitations."""
