"""Re-execute notebooks in place and keep only the outputs that make them good docs: figures, tables and the lines
a cell prints itself, not progress bars, warnings (stderr) or the logs of the code it calls. Run `nbdev_clean` afterwards, then commit.

    python .ci/refresh_outputs.py nbs/06_sample.ipynb nbs/07_evaluate.ipynb

Cells flagged for `nbdev_test --flags` (`#| slow`, `#| cuda`, `#| multigpu`) are not run, as in `nbdev_test`; cells marked
`#| output: false` run, but keep no output (Quarto does not show it either).
"""
import os, re, sys, time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

FLAGS = re.compile(r'^#\|\s*(slow|cuda|multigpu|notest)\b', re.M)
NO_OUTPUT = re.compile(r'^#\|\s*output:\s*false\b', re.M)
MAX_TEXT = 4000   # characters of printed text kept per cell


def keep(output, source:str) -> bool:
    "Whether a cell's output is docs: a figure or table, or what the cell itself prints (not the logs of code it calls)."
    if NO_OUTPUT.search(source): return False   # Quarto's `#| output: false`: the cell is a test, its output is not docs
    if output.output_type == 'stream': return output.name == 'stdout' and len(output.text) <= MAX_TEXT and 'print(' in source
    if 'application/vnd.jupyter.widget-view+json' in output.get('data', {}): return False   # no widget state in static docs
    return output.output_type in ('display_data', 'execute_result')


def refresh(path:Path, timeout:int=1800):
    nb = nbformat.read(path, as_version=4)
    skipped = {}
    for i, c in enumerate(nb.cells):
        if c.cell_type == 'code' and FLAGS.search(c.source): skipped[i], c.source = c.source, ''   # not run, like nbdev_test
    t0 = time.time()
    os.environ['IN_TEST'] = '1'
    ExecutePreprocessor(timeout=timeout, kernel_name='python3').preprocess(nb, {'metadata': {'path': str(path.parent)}})
    for i, c in enumerate(nb.cells):
        if i in skipped: c.source, c.outputs = skipped[i], []
        elif c.cell_type == 'code':
            c.outputs = [o for o in c.outputs if keep(o, c.source)]
    nbformat.write(nb, path)
    print(f"{path}: executed in {time.time() - t0:.0f} s")


if __name__ == '__main__':
    for p in sys.argv[1:]: refresh(Path(p))
