"""Time to quality (meant for a GPU): wall-clock from the start of training with the defaults until the
conditional accuracy at the default guidance reaches a target (98%), checked after every epoch with
DPM-Solver++ 2M SDE 20 steps on `n_per_digit` images per digit.

    python bench/time_to_quality.py --dataset_path ./dataset_cache --output_dir /tmp/ttq
"""
import argparse, json, time
from dataclasses import replace
from pathlib import Path

import torch

from mnist_cfg.core import TrainConfig
from mnist_cfg.evaluate import conditional_accuracy, load_judge, machine_info
from mnist_cfg.sample import generate, load_model
from mnist_cfg.train import train


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--text_encoder', default='openai/clip-vit-base-patch32')
    p.add_argument('--output_dir', default='/tmp/mnist_cfg_ttq'); p.add_argument('--target', type=float, default=0.98)
    p.add_argument('--max_epochs', type=int, default=20); p.add_argument('--n_per_digit', type=int, default=50)
    p.add_argument('--set', nargs='*', default=[], help='extra TrainConfig fields, as key=value')
    p.add_argument('--out', default=None)
    a = p.parse_args()
    cfg = TrainConfig(dataset_path=a.dataset_path, text_encoder=a.text_encoder, output_dir=a.output_dir, num_epochs=a.max_epochs,
                      sample_every=0, **dict(kv.split('=', 1) for kv in a.set))
    dev = 'cuda' if torch.cuda.is_available() and not cfg.cpu else 'cpu'
    judge, jinfo = load_judge(a.dataset_path, device=dev)
    labels = torch.arange(10).repeat_interleave(a.n_per_digit)
    t_start, train_secs, eval_secs, log = time.perf_counter(), 0.0, 0.0, []
    for epoch in range(a.max_epochs):
        res = train(replace(cfg, resume='auto' if epoch else None), epochs_this_run=1)
        train_secs += res['history'][-1]['seconds']
        wall = time.perf_counter() - t_start - eval_secs   # wall clock of training, without our evaluations
        t_eval = time.perf_counter()
        model = load_model(res['last_checkpoint'], dev, verbose=False)
        imgs = generate(model, [model.text.captions[d] for d in labels], cfg.guidance_scale, 20, 'sde-dpmsolver++', seed=0, progress=False)
        acc = conditional_accuracy(judge, imgs, labels)['accuracy']
        eval_secs += time.perf_counter() - t_eval
        log.append(dict(epoch=epoch, accuracy=acc, train_seconds=train_secs, wall_seconds=wall))
        print(f"epoch {epoch}: accuracy {acc:.2%} after {train_secs:.1f}s of training steps, {wall:.1f}s wall clock")
        if acc >= a.target: break
    out = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), target=a.target, reached=log[-1]['accuracy'] >= a.target,
               judge=jinfo, log=log, config=a.set)
    path = Path(a.out or f"bench/results/time_to_quality_{dev}.json")
    path.parent.mkdir(parents=True, exist_ok=True); path.write_text(json.dumps(out, indent=1))


if __name__ == '__main__': main()
