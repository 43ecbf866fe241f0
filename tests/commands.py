"""Running a management command in a test as the shell would see it."""

import io

from django.core.management import CommandError, call_command


def run(name, *args, **options):
    """(exit status, stdout, stderr) of a command, as the shell would see them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err, **options)
        code = 0
    except CommandError as error:
        code, err = 1, io.StringIO(err.getvalue() + str(error))
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()
