"""What the editor end-to-end tests share: a work folder holding copies of the lesson's examples."""
import os
import shutil
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("C2PY_SOURCE_DIR", os.path.join(HERE, "..", ".."))


def examples_work_dir(name):
    """A fresh folder `name` under $C2PY_E2E_OUT_DIR (kept for reading after the run), or a
    temporary one, with copies of examples/lesson.c and lesson.py."""
    base = os.environ.get("C2PY_E2E_OUT_DIR")
    work = os.path.join(base, name) if base else tempfile.mkdtemp(prefix="c2py-%s-" % name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for example in ("lesson.c", "lesson.py"):
        shutil.copy(os.path.join(SOURCE_DIR, "examples", example), work)
    return work
