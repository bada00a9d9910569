"""A grid of held-out phrasings (issue 23): rows are phrasings training never saw (`mnist_cfg.paraphrase.HELDOUT_FRAMES`),
columns the digits 0-9, drawn by each model at its own defaults, the same seed in every cell of a column.

    python bench/heldout_grid.py --models pretrained_minilm /work/runs/para_clip/model --labels MiniLM "CLIP stand-in (control)" \
        --out bench/results/heldout_grid_cpu.png
"""
import argparse

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import torch

from mnist_cfg.paraphrase import HELDOUT_FRAMES, phrase
from mnist_cfg.sample import generate, load_model

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--models', nargs='+', required=True); p.add_argument('--labels', nargs='+', default=None)
    p.add_argument('--frames', type=int, default=6, help='the first N held-out frames'); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out', default='bench/results/heldout_grid_cpu.png')
    a = p.parse_args()
    frames = HELDOUT_FRAMES[:a.frames]
    cols = 10 * len(a.models) + len(a.models) - 1   # a blank column between models
    fig, axs = plt.subplots(len(frames), cols, figsize=(0.5 * cols + 2.2, 0.55 * len(frames) + 0.5))
    fig.subplots_adjust(left=2.2 / (0.5 * cols + 2.2), right=0.995, top=1 - 0.35 / (0.55 * len(frames) + 0.5), bottom=0.01, wspace=0.06, hspace=0.06)
    for m_i, path in enumerate(a.models):
        model = load_model(path, 'cpu', verbose=False)
        for r, f in enumerate(frames):
            imgs = generate(model, [phrase(f, d) for d in range(10)], seed=a.seed, progress=False)
            for d in range(10):
                ax = axs[r, m_i * 11 + d]; ax.imshow(imgs[d, 0], cmap='gray', vmin=0, vmax=1)
            if m_i == 0: axs[r, 0].set_ylabel(f.format(d='N', w='<word>'), rotation=0, ha='right', va='center', fontsize=7)
        axs[0, m_i * 11 + 4].set_title((a.labels or a.models)[m_i], fontsize=9, loc='left')
    for ax in axs.flat: ax.set_xticks([]); ax.set_yticks([]); ax.spines[:].set_visible(False)
    fig.savefig(a.out, dpi=90); print(f"wrote {a.out}")

if __name__ == '__main__': main()
