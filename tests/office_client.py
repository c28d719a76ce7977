"""Files saved again in another format by a LibreOffice already running (``tests/kept_office.py``).

Run by the system Python, which has LibreOffice's UNO bridge, as ``python3
office_client.py PIPE`` with a JSON list of ``[source, target, filter]`` on
stdin: it connects to the LibreOffice accepting UNO on the named pipe, and
for each file loads the source hidden, stores it as the target through the
filter (what ``soffice --convert-to`` does with its own start) and closes it.
Exit status 0 when every target was written; else a message on stderr. Only
the standard library, ``uno`` and the program's conversion worker (``office_worker.py``, which needs no
more): it runs outside the project's environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import uno  # type: ignore[import-not-found]

# the program's own conversion worker, beside which this one works (its UNO property lists)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src" / "strategic_assessment" / "documents"))
from office_worker import properties  # type: ignore[import-not-found]


def main() -> None:
    pipe, jobs = sys.argv[1], json.load(sys.stdin)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    for source, target, filter_name in jobs:
        document = desktop.loadComponentFromURL(Path(source).resolve().as_uri(), "_blank", 0, properties(Hidden=True))
        if document is None:
            sys.exit(f"LibreOffice could not open {source}")
        try:
            document.storeToURL(Path(target).resolve().as_uri(), properties(FilterName=filter_name))
        finally:
            document.close(True)
        if not Path(target).is_file():
            sys.exit(f"LibreOffice did not write {target}")


if __name__ == "__main__":
    main()
