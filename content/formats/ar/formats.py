# Arabic: Django's date ("2 ديسمبر، 2026") with a 24-hour time; its own date-and-time
# format puts the month first with Latin commas and a 12-hour clock.
DATE_FORMAT = "j F، Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
