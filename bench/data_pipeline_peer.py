#!/usr/bin/python3
"""torchvision side of bench/DataPipelineBench: the same augmentation on the same JPEG folder.

Prints one JSON line {"images": N, "seconds": S, "cpu_seconds": C} for the timed epochs (after one warm-up
epoch). C is the CPU time of this process and its worker processes (each epoch's workers exit at its end, so
getrusage(RUSAGE_CHILDREN) has counted them): on a shared machine, images per CPU-second is the stable figure.
Run with Debian's Python (torch 1.13, torchvision 0.14): /usr/bin/python3 bench/data_pipeline_peer.py FOLDER
"""
import argparse
import json
import resource
import time

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--rotation", type=float, default=15)
    parser.add_argument("--jitter", type=float, default=0.4)
    args = parser.parse_args()

    torch.manual_seed(1)
    augment = T.Compose([
        T.RandomResizedCrop(args.size),
        T.RandomHorizontalFlip(),
        T.RandomRotation(args.rotation, interpolation=T.InterpolationMode.BILINEAR),
        T.ColorJitter(args.jitter, args.jitter, args.jitter),
        T.ToTensor(),
        T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    data = datasets.ImageFolder(args.folder, transform=augment)
    loader = DataLoader(data, batch_size=args.batch, shuffle=True, num_workers=args.workers)

    def drain():
        count = 0
        iterator = iter(loader)
        for x, _ in iterator:
            count += x.shape[0]
        del iterator  # joins this epoch's worker processes, so their CPU time is counted
        return count

    def cpu():
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    drain()  # warm-up: file cache, imports
    start, start_cpu = time.perf_counter(), cpu()
    images = sum(drain() for _ in range(args.epochs))
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - start_cpu
    print(json.dumps({"images": images, "seconds": seconds, "cpu_seconds": cpu_seconds}))


if __name__ == "__main__":
    main()
