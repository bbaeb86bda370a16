"""The center console: staff run the network, enter inspections and
publish results from one keyboard UI, over HTTP against the center server
(``station-tui center --url URL``)."""
