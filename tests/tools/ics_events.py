"""Parses an iCalendar file with the `icalendar` package (an implementation
independent of brief's) and prints its calendar properties and events as
JSON, for the tests to compare field by field."""

import datetime
import json
import sys

import icalendar


def value(component, name):
    prop = component.get(name)
    if prop is None:
        return None
    if hasattr(prop, "dt"):
        dt = prop.dt
        kind = "date" if type(dt) is datetime.date else "date-time"
        return {"kind": kind, "value": dt.isoformat(), "params": dict(prop.params)}
    return str(prop)


with open(sys.argv[1], "rb") as f:
    calendar = icalendar.Calendar.from_ical(f.read())

out = {
    "version": value(calendar, "VERSION"),
    "prodid": value(calendar, "PRODID"),
    "name": value(calendar, "X-WR-CALNAME"),
    "events": [
        {
            key: value(event, key.upper().replace("_", "-"))
            for key in [
                "uid", "dtstamp", "dtstart", "dtend", "summary", "location",
                "description", "status", "x_brief_status", "class",
            ]
        }
        for event in calendar.walk("VEVENT")
    ],
}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
