"""The command line: no arguments opens the browser, subcommands print data.

Public face: ``main.main(argv)``. Nothing else in surveytui imports this package.
"""
