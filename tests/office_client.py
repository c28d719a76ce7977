"""Files saved again in another format by a LibreOffice already running (``tests/kept_office.py``).

Run by the system Python, which has LibreOffice's UNO bridge, as ``python3
office_client.py PIPE`` with a JSON list of ``[source, target, filter]`` on
stdin: it connects to the LibreOffice accepting UNO on the named pipe, and
for each file loads the source hidden, stores it as the target through the
filter (what ``soffice --convert-to`` does with its own start) and closes it.
Exit status 0 when every target was written; else a message on stderr. Only
the standard library and ``uno``: it runs outside the project's environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def properties(**values: Any) -> tuple[Any, ...]:
    made = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name, item.Value = name, value
        made.append(item)
    return tuple(made)


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
