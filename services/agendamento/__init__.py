"""Scheduling: the calendar rules, the slots, the holder's bookings, the agent's agenda and
decisions, the reminders, and the e-mails with their .ics invitations."""
