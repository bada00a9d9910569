"""The demo widget in a real browser: start JupyterLab on 127.0.0.1, open a notebook that shows `demo()` (the shipped
few-step student, `pretrained_student/`) or `demo(load_model(MODEL))`, run it, click **Generate** in Debian's Chromium
driven by Playwright, and check that the images appear and the status line reports them. Prints the seconds from the
click to the status line (a measurement, not a pass/fail limit; `--timing_out` writes them to a JSON, as
`bench/demo_click.py` does for the README). Stops JupyterLab by its PID however it ends.

    python .ci/browser_demo.py [--screenshot nbs/images/demo.png]
    python .ci/browser_demo.py --model pretrained --steps 20              # the teacher, 20 steps
    python .ci/browser_demo.py --model pretrained_minilm --prompt "a hand-drawn seven"   # types a phrasing into the prompt box

Needs `apt-get install -y chromium` (Playwright's own browser download does not work offline) and `pip install
playwright` (both done by `.ci/run`).
"""
import argparse, json, os, re, secrets, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

CHROMIUM = '/usr/bin/chromium'
def cells(model:str|None, steps:int|None=None) -> list[str]:
    "The notebook: the demo of the shipped student (`demo()`), or of `model`, at `steps` steps (None: the model's default)."
    show = f"panel = demo(load_model({str(Path(model).resolve())!r}, 'cpu'))" if model else "panel = demo()   # the shipped few-step student"
    if steps: show += f"\npanel.children[1].children[1].value = {steps}   # steps"
    return ["from mnist_cfg.sample import demo, load_model", f"{show}\npanel"]


def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def write_notebook(path:Path, model:str|None=None, steps:int|None=None):
    cell = lambda src: dict(cell_type='code', execution_count=None, id=f'c{hash(src) & 0xffff:x}', metadata={}, outputs=[], source=src)
    nb = dict(nbformat=4, nbformat_minor=5, cells=[cell(s) for s in cells(model, steps)],
              metadata=dict(kernelspec=dict(name='python3', display_name='Python 3', language='python')))
    path.write_text(json.dumps(nb))


def wait_ready(url:str, proc, timeout:float=60):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None: raise SystemExit(f"JupyterLab exited with {proc.returncode} before it served {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200: return
        except OSError: time.sleep(0.5)
    raise SystemExit(f"JupyterLab did not answer {url} within {timeout:.0f} s")


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--screenshot', default=None, help='save a PNG of the widget after Generate')
    p.add_argument('--timeout', type=float, default=120, help='seconds to wait for the kernel and for the images')
    p.add_argument('--model', default=None, help='the model folder to demo (default: demo() itself, the shipped student pretrained_student/)')
    p.add_argument('--steps', type=int, default=None, help="set the steps slider (default: the model's own)")
    p.add_argument('--clicks', type=int, default=3, help='click Generate this many times (the first includes warm-up); each is timed')
    p.add_argument('--timing_out', default=None, help='write the click-to-status seconds to this JSON')
    p.add_argument('--prompt', default=None, help="type this into the demo's prompt box before Generate (default: leave its prompt)")
    a = p.parse_args()
    if not Path(CHROMIUM).exists(): raise SystemExit(f"{CHROMIUM} not found: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix='browser_demo_'))
    write_notebook(work/'demo.ipynb', a.model, a.steps)
    port, token = free_port(), secrets.token_hex(16)
    log = open(work/'jupyterlab.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'jupyter', 'lab', '--no-browser', '--ip=127.0.0.1', f'--port={port}',
                             f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={work}', '--allow-root', '--LabApp.news_url=',
                             '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    t0 = time.time()
    try:
        base = f'http://127.0.0.1:{port}'
        wait_ready(f'{base}/api/status?token={token}', proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=['--no-sandbox'])
            page = browser.new_page(viewport={'width': 1200, 'height': 900})
            page.goto(f'{base}/lab/tree/demo.ipynb?token={token}')
            try: size, status, clicks = drive(page, a)
            except Exception:
                page.screenshot(path=str(work/'failure.png'))
                print(f"browser test failed; the page is in {work/'failure.png'}, JupyterLab's log in {work/'jupyterlab.log'}", file=sys.stderr)
                raise
            browser.close()
        if not (size[2] and size[0] > 100 and size[1] > 100): raise SystemExit(f"the generated picture did not load: {size}")
        print(f"demo in Chromium{' of ' + a.model if a.model else ''}: Generate drew a {size[0]}x{size[1]} picture"
              f"{' for ' + repr(a.prompt) if a.prompt else ''}; status '{status}' ({time.time() - t0:.0f} s); click to status: "
              f"{', '.join(f'{c:.2f}' for c in clicks)} s")
        if a.timing_out:
            from mnist_cfg.evaluate import machine_info
            Path(a.timing_out).write_text(json.dumps(dict(date=time.strftime('%Y-%m-%d'), machine=machine_info(),
                                                          how='.ci/browser_demo.py: JupyterLab in Debian chromium driven by Playwright, demo() in a notebook, '
                                                              'seconds from the click on Generate to the status line with the new images',
                                                          model=a.model or 'demo() default (pretrained_student)', steps=a.steps or "the model's default", status=status,
                                                          click_to_status_seconds=clicks, images_per_click=8), indent=1))
    finally:
        stop(proc)


def drive(page, a):
    "Run the notebook's cells, click Generate, wait for the status line; returns the picture's size and the status."
    from playwright.sync_api import expect
    page.wait_for_selector('.jp-Notebook .jp-Cell', timeout=a.timeout * 1000)
    expect(page.locator('.jp-StatusBar-Widget').filter(has_text=re.compile(r'Python 3.*Idle'))).to_be_visible(timeout=a.timeout * 1000)
    page.get_by_role('menuitem', name='Run', exact=True).click()            # Run > Run All Cells, as a user would
    page.get_by_role('menuitem', name=re.compile(r'^Run All Cells')).click()
    button = page.get_by_role('button', name='Generate')
    button.wait_for(timeout=a.timeout * 1000)                              # the widget rendered
    widget = page.locator('.jupyter-widgets.widget-vbox').first
    if a.prompt is not None:                                              # type a prompt as a user would
        box = widget.locator('.widget-text input').first
        box.fill(a.prompt); box.press('Enter')
        expect(box).to_have_value(a.prompt)
    clicks = []
    for seed in range(a.clicks):   # a new seed each time: each click draws new images and its own status line ("(seed N)")
        if seed:
            box = widget.locator('input[type="number"]').first   # the seed box (IntText)
            box.fill(str(seed)); box.press('Enter'); expect(box).to_have_value(str(seed))
        done = widget.locator('.widget-label').filter(has_text=re.compile(rf'^8 images \(seed {seed}\), {a.steps or ""}'))   # the status line after sampling
        t = time.perf_counter()
        button.click()
        done.wait_for(state='visible', timeout=a.timeout * 1000)
        clicks.append(time.perf_counter() - t)
    img = widget.locator('img').first
    size = img.evaluate('i => [i.naturalWidth, i.naturalHeight, i.complete]')
    status = done.first.inner_text()
    if a.screenshot:
        Path(a.screenshot).parent.mkdir(parents=True, exist_ok=True)
        widget.screenshot(path=a.screenshot)
    return size, status, clicks


def stop(proc):
    "Stop JupyterLab and its kernels (its process group)."
    if proc.poll() is not None: return
    os.killpg(proc.pid, signal.SIGTERM)
    try: proc.wait(timeout=15)
    except subprocess.TimeoutExpired: os.killpg(proc.pid, signal.SIGKILL)


if __name__ == '__main__': main()
