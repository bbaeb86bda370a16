"""Pure domain values: money, phones, times, periods. No I/O here."""
