"""The engine, the portfolio fit included, imports no Django: it runs on plain records."""

import subprocess
import sys

MODULES = ("calendar", "capacity", "fit", "records", "registry", "run")


def test_engine_imports_no_django():
    # given a fresh interpreter that imports every engine module
    code = (
        "import sys\n"
        + "".join(f"import resources.engine.{name}\n" for name in MODULES)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    # when it has imported them
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # then no Django module came with them
    assert out.stdout.strip() == "[]"
