"""Time to quality: trains a recipe (any `python -m mnist_cfg.train` flags, `--config FILE.yaml` included) one epoch at
a time, and after each epoch measures the conditional accuracy of its EMA model at the recipe's guidance scale
(DPM-Solver++ 2M SDE, 20 steps, `--n_per_digit` images per digit, the judge trained on all 60,000 images); stops at
the first evaluation that reaches `--target`. Reports the wall clock of training up to there, evaluations excluded.

    # the CPU recipe (configs/cpu.yaml) against the 95% target, on the CPU
    python bench/time_to_quality.py --target 0.95 --config configs/cpu.yaml --dataset_path ../shared/data \
        --text_encoder "$(python -m mnist_cfg.text)" --output_dir /tmp/ttq_cpu --first_eval_epoch 1
    # the default recipe against 99%, on a GPU
    python bench/time_to_quality.py --target 0.99 --dataset_path ./dataset_cache --output_dir /tmp/ttq
"""
import argparse, json, time
from dataclasses import asdict, replace
from pathlib import Path

import torch
from accelerate.state import AcceleratorState

from mnist_cfg.core import parse_config
from mnist_cfg.evaluate import conditional_accuracy, load_judge, machine_info
from mnist_cfg.sample import generate, load_model
from mnist_cfg.train import train


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0], epilog='every other flag is a flag of python -m mnist_cfg.train')
    p.add_argument('--target', type=float, default=0.99); p.add_argument('--n_per_digit', type=int, default=50)
    p.add_argument('--first_eval_epoch', type=int, default=0, help='skip the evaluations of earlier epochs (they cost sampling time)')
    p.add_argument('--all_epochs', action='store_true', help='train and evaluate every epoch, also after the target is reached')
    p.add_argument('--out', default=None)
    a, rest = p.parse_known_args()
    cfg = parse_config(rest)
    cfg = replace(cfg, sample_every=0, resume=None)
    dev = 'cuda' if torch.cuda.is_available() and not cfg.cpu else 'cpu'
    judge, jinfo = load_judge(cfg.dataset_path, device=dev)
    labels = torch.arange(10).repeat_interleave(a.n_per_digit)
    t_start, eval_secs, log = time.perf_counter(), 0.0, []
    for epoch in range(cfg.num_epochs):
        AcceleratorState._reset_state(True)
        res = train(replace(cfg, resume='auto' if epoch else None), epochs_this_run=1)
        wall = time.perf_counter() - t_start - eval_secs   # wall clock of training (setup included), without our evaluations
        if epoch < min(a.first_eval_epoch, cfg.num_epochs - 1):
            print(f"epoch {epoch}: {wall:.0f} s of training (wall clock), not evaluated", flush=True); continue
        t_eval = time.perf_counter()
        model = load_model(res['last_checkpoint'], dev, verbose=False)
        imgs = generate(model, [model.text.captions[d] for d in labels], cfg.guidance_scale, 20, 'sde-dpmsolver++', seed=0, progress=False)
        ca = conditional_accuracy(judge, imgs, labels)
        eval_secs += time.perf_counter() - t_eval
        log.append(dict(epoch=epoch, accuracy=ca['accuracy'], per_digit=ca['per_digit'], loss=res['history'][-1]['loss'],
                        train_seconds=sum(h['seconds'] for h in res['history']), wall_seconds=wall))
        print(f"epoch {epoch}: accuracy {ca['accuracy']:.2%} after {wall:.0f} s of training (wall clock)", flush=True)
        if ca['accuracy'] >= a.target and not a.all_epochs: break
    first = next((o for o in log if o['accuracy'] >= a.target), None)
    reached = first is not None
    print(f"target {a.target:.0%} {'reached after' if reached else 'NOT reached in'} {(first or log[-1])['wall_seconds']:.0f} s of training")
    out = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), target=a.target, reached=reached,
               seconds_to_target=first['wall_seconds'] if reached else None,
               epoch_reached=first['epoch'] if reached else None, n_per_digit=a.n_per_digit,
               sampler='sde-dpmsolver++ 20', judge=jinfo, argv=rest, config=asdict(cfg), log=log)
    path = Path(a.out or f"bench/results/time_to_quality_{dev}.json")
    path.parent.mkdir(parents=True, exist_ok=True); path.write_text(json.dumps(out, indent=1))


if __name__ == '__main__': main()
