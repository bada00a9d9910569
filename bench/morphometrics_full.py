"""Morphometrics (stroke thickness, slant, width; `mnist_cfg.attributes`) of every image of both MNIST splits: wall
clock on this machine's cores and the distributions, for README and `nbs/09_attributes`.

    python bench/morphometrics_full.py --dataset_path ../shared/data
"""
import argparse, json, os, time
from pathlib import Path

import torch

from mnist_cfg.attributes import morphometrics
from mnist_cfg.data import load_mnist_tensors
from mnist_cfg.evaluate import machine_info


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dataset_path', default='./dataset_cache'); p.add_argument('--workers', type=int, default=0)
    p.add_argument('--out', default='bench/results/morphometrics_cpu.json')
    a = p.parse_args()
    res = dict(machine=machine_info(), date=time.strftime('%Y-%m-%d'), workers=a.workers or os.cpu_count(), splits={})
    for train in (True, False):
        data = load_mnist_tensors(a.dataset_path, train=train, download=False)
        t0 = time.perf_counter(); m = morphometrics(data.images[:, 2:30, 2:30].contiguous(), a.workers); secs = time.perf_counter() - t0
        q = torch.tensor([0.05, 0.25, 0.5, 0.75, 0.95])
        res['splits']['train' if train else 'test'] = dict(n=len(data), seconds=secs, images_per_s=len(data) / secs, **{
            k: dict(mean=v.nanmean().item(), quantiles_5_25_50_75_95=v.nanquantile(q).tolist(), nan=int(v.isnan().sum())) for k, v in m.items()})
        print(f"{'train' if train else 'test'}: {len(data)} images in {secs:.0f} s ({len(data) / secs:.0f}/s); "
              + ", ".join(f"{k} mean {v.nanmean():.2f}" for k, v in m.items()), flush=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1))


if __name__ == '__main__': main()
