"""Plain helpers with no models: tables in and out, periods, calendar, ranking."""
