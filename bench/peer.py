#!/usr/bin/python3
"""PyTorch twin of Graft's benchmark workers (bench/Workloads/GraftSide.cs): the same workloads, architectures,
batch, input size and threads, one workload per process. Prints one line 'RESULT {"value": ..., "extra": {...}}'.

Run with Debian's Python (torch 1.13, torchvision 0.14): /usr/bin/python3 bench/peer.py NAME [--quick] [--tuned]
  --tuned   channels-last model and input (the runner also sets the allocator and OpenBLAS environment)
Without --tuned it runs as a user would: torch.set_num_threads(threads), default layout, default environment.
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

FULL = dict(batch=32, image=224, warmup=4, steps=7, memory_batch=32, memory_image=224, memory_steps=2,
            cached_vectors=10_000, recompute_steps=3, matmul=4096, conv_channels=256, conv_spatial=56, conv_batch=32,
            pipeline_epochs=2, pipeline_workers=2)
QUICK = dict(batch=4, image=64, warmup=1, steps=2, memory_batch=4, memory_image=64, memory_steps=1,
             cached_vectors=1_000, recompute_steps=2, matmul=512, conv_channels=64, conv_spatial=28, conv_batch=4,
             pipeline_epochs=1, pipeline_workers=1)
RESNET18_MULTIPLY_ADDS = 1.814e9  # at 224 px (torchvision's figure); scales with the pixel count


class Bench:
    def __init__(self, sizes, tuned):
        self.s = sizes
        self.tuned = tuned

    def layout(self, t_or_model):
        return t_or_model.to(memory_format=torch.channels_last) if self.tuned else t_or_model

    def model(self, arch, num_classes=1000):
        return self.layout(getattr(torchvision.models, arch)(num_classes=num_classes))

    # (1) eval forward, images per second
    def infer(self, arch):
        s = self.s
        model = self.model(arch).eval()
        x = self.layout(torch.rand(s["batch"], 3, s["image"], s["image"]))
        times = []
        for i in range(s["warmup"] + s["steps"]):
            start = time.perf_counter()
            with torch.no_grad():
                model(x).sum().item()
            if i >= s["warmup"]:
                times.append(time.perf_counter() - start)
        return s["batch"] / statistics.median(times)

    # (2)-(4) training steps with AdamW; the frozen part runs in inference mode (no graph is recorded for it
    # because none of its parameters needs a gradient)
    def step_seconds(self, model, frozen_modules, batch, image, warmup, steps):
        model.train()
        for m in frozen_modules:
            m.eval()
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=1e-3, weight_decay=0)
        x = torch.rand(batch * (warmup + steps), 3, image, image)
        y = torch.randint(0, 10, (batch * (warmup + steps),))
        times = []
        for i in range(warmup + steps):
            start = time.perf_counter()
            xb = self.layout(x[i * batch:(i + 1) * batch])
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xb), y[i * batch:(i + 1) * batch])
            loss.backward()
            optimizer.step()
            loss.item()
            if i >= warmup:
                times.append(time.perf_counter() - start)
        return statistics.median(times)

    def frozen_base(self, model, arch, keep_top):
        """Freezes the base (all but the head, and the top block when keep_top); returns the frozen modules."""
        if arch == "resnet18" or arch == "resnet50":
            names = ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]
            if keep_top:
                names.remove("layer4")
            frozen = [getattr(model, n) for n in names]
        else:
            blocks = list(model.features)
            frozen = blocks[:-1] if keep_top else blocks
        for m in frozen:
            for p in m.parameters():
                p.requires_grad_(False)
        return frozen

    def train(self, arch, mode):
        s = self.s
        model = self.model(arch, num_classes=10)
        frozen = [] if mode == "finetune" else self.frozen_base(model, arch, keep_top=(mode == "partial"))
        return s["batch"] / self.step_seconds(model, frozen, s["batch"], s["image"], s["warmup"], s["steps"])

    # (5) one head epoch over cached feature vectors vs recomputing the frozen base for each batch
    def cached(self):
        s = self.s
        n = s["cached_vectors"]
        features, labels = torch.randn(n, 512), torch.randint(0, 10, (n,))
        head = nn.Linear(512, 10)
        optimizer = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=0)
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(features, labels), batch_size=s["batch"], shuffle=True)

        def epoch():
            start = time.perf_counter()
            for xb, yb in loader:
                optimizer.zero_grad()
                loss = F.cross_entropy(head(xb), yb)
                loss.backward()
                optimizer.step()
                loss.item()
            return time.perf_counter() - start

        epoch()  # warm-up
        cached_seconds = statistics.median(epoch() for _ in range(5))  # one epoch is ~70 ms: take the median of five
        model = self.model("resnet18", num_classes=10)
        frozen = self.frozen_base(model, "resnet18", keep_top=False)
        step = self.step_seconds(model, frozen, s["batch"], s["image"], 1, s["recompute_steps"])
        recompute_seconds = step * math.ceil(n / s["batch"])
        return n / cached_seconds, {"cached_epoch_s": cached_seconds, "recompute_epoch_s": recompute_seconds,
                                    "speedup": recompute_seconds / cached_seconds}

    # (6) peak resident memory of this fresh process after ResNet-50 fine-tuning steps
    def memory(self):
        s = self.s
        model = self.model("resnet50", num_classes=10)
        step = self.step_seconds(model, [], s["memory_batch"], s["memory_image"], 0, s["memory_steps"])
        with open("/proc/self/status") as status:
            hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        return hwm / 1024, {"step_s": step}

    # (7) ResNet-18 inference GFLOP/s, with the matmul and 3x3 convolution roofs measured in the same process
    def roof(self):
        s = self.s

        def timed(fn):
            fn()
            times = []
            for _ in range(3):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            return statistics.median(times)

        m = s["matmul"]
        a, b = torch.randn(m, m), torch.randn(m, m)
        matmul = 2 * m ** 3 / 1e9 / timed(lambda: torch.matmul(a, b))
        ch, hw, nb = s["conv_channels"], s["conv_spatial"], s["conv_batch"]
        x = torch.randn(nb, ch, hw, hw).to(memory_format=torch.channels_last)
        w = torch.randn(ch, ch, 3, 3).to(memory_format=torch.channels_last)
        with torch.no_grad():
            conv = 2 * nb * hw * hw * ch * ch * 9 / 1e9 / timed(lambda: F.conv2d(x, w, padding=1))
        images = self.infer("resnet18")
        achieved = images * 2 * RESNET18_MULTIPLY_ADDS * (s["image"] / 224) ** 2 / 1e9
        return achieved, {"gflops": achieved, "matmul_roof_gflops": matmul, "conv_roof_gflops": conv,
                                       "img_per_s": images}

    # the data pipeline: torchvision's DataLoader with the augmentation Graft's loader runs
    def pipeline(self, folder):
        from torchvision import datasets, transforms as T
        augment = T.Compose([
            T.RandomResizedCrop(224),
            T.RandomHorizontalFlip(),
            T.RandomRotation(15, interpolation=T.InterpolationMode.BILINEAR),
            T.ColorJitter(0.4, 0.4, 0.4),
            T.ToTensor(),
            T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
        ])
        data = datasets.ImageFolder(folder, transform=augment)
        loader = torch.utils.data.DataLoader(data, batch_size=32, shuffle=True, num_workers=self.s["pipeline_workers"])

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
        images = sum(drain() for _ in range(self.s["pipeline_epochs"]))
        seconds, cpu_seconds = time.perf_counter() - start, cpu() - start_cpu
        return images / seconds, {"cpu_ms_per_image": cpu_seconds * 1000 / images}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tuned", action="store_true")
    parser.add_argument("--folder")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    bench = Bench(QUICK if args.quick else FULL, args.tuned)
    kind, _, arch = args.workload.partition("-")
    if kind == "infer":
        value, extra = bench.infer(arch), {}
    elif kind in ("finetune", "head", "partial"):
        value, extra = bench.train(arch, kind), {}
    elif kind == "cached":
        value, extra = bench.cached()
    elif kind == "memory":
        value, extra = bench.memory()
    elif kind == "roof":
        value, extra = bench.roof()
    elif kind == "data":
        value, extra = bench.pipeline(args.folder)
    else:
        raise SystemExit(f"unknown workload {args.workload}")
    print("RESULT " + json.dumps({"value": value, "extra": extra}), flush=True)


if __name__ == "__main__":
    main()
