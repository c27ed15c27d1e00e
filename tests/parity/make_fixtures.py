"""Parity fixtures for Graft's model zoo, made by PyTorch 1.13 + torchvision 0.14 (the oracle).

    /usr/bin/python3 tests/parity/make_fixtures.py OUTPUT_FOLDER [ARCH ...]

For each architecture (all by default) it writes into OUTPUT_FOLDER:
  ARCH.json               state_dict keys and shapes in state_dict order (parameters and buffers marked), the
                          parameter count, a fingerprint of the freshly initialised weights (seed INIT_SEED), and
                          the input shape and seeds used below
  ARCH.pth                the state_dict after `perturb` (torch.save, zip format)
  ARCH.safetensors        the same tensors in safetensors format, written here without the safetensors package
  ARCH.io.safetensors     "input" (seeded), eval-mode "logits" and "features" (the input of the head), and
                          "train_logits" from one train-mode forward after torch.manual_seed(TRAIN_SEED)
  ARCH.train.safetensors  every buffer (BatchNorm running statistics) after that train-mode forward
and finally manifest.json naming the architectures. Graft's tests run this once per test run (cached by the hash
of this file) and compare Graft's models against these files.
"""
import hashlib
import json
import os
import struct
import sys
import time

import torch
from torch import nn
from torchvision import models
from torchvision.models.resnet import BasicBlock, Bottleneck

INIT_SEED = 0
INPUT_SEED = 1
TRAIN_SEED = 2
PERTURB_SEED = 1234


class MiniResNet(nn.Module):
    """Graft's resnet_mini, written with torchvision's BasicBlock and the same attribute names and init as ResNet."""

    def __init__(self, in_channels: int = 1, num_classes: int = 10) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 32, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.relu = nn.ReLU(inplace=True)
        self.inplanes = 32
        self.layer1 = self._make_layer(32, 1)
        self.layer2 = self._make_layer(64, 2)
        self.layer3 = self._make_layer(128, 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(128, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _make_layer(self, planes: int, stride: int) -> nn.Sequential:
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes, kernel_size=1, stride=stride, bias=False), nn.BatchNorm2d(planes)
            )
        block = BasicBlock(self.inplanes, planes, stride, downsample)
        self.inplanes = planes
        return nn.Sequential(block)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


# name -> (builder, input shape, head attribute). Inputs are small where global pooling allows (64 px keeps every
# architecture's last feature map at 2x2); ResNet-18 runs at the real 224 px.
ARCHITECTURES = {
    "resnet18": (models.resnet18, (2, 3, 224, 224), "fc"),
    "resnet34": (models.resnet34, (2, 3, 64, 64), "fc"),
    "resnet50": (models.resnet50, (2, 3, 64, 64), "fc"),
    "resnet101": (models.resnet101, (2, 3, 64, 64), "fc"),
    "resnet_mini": (MiniResNet, (2, 1, 28, 28), "fc"),
    "mobilenet_v2": (models.mobilenet_v2, (2, 3, 64, 64), "classifier"),
    "mobilenet_v3_small": (models.mobilenet_v3_small, (2, 3, 64, 64), "classifier"),
    "mobilenet_v3_large": (models.mobilenet_v3_large, (2, 3, 64, 64), "classifier"),
    "efficientnet_b0": (models.efficientnet_b0, (2, 3, 64, 64), "classifier"),
    "vgg16": (models.vgg16, (2, 3, 64, 64), "classifier"),
    "vgg16_bn": (models.vgg16_bn, (2, 3, 64, 64), "classifier"),
    "vgg19": (models.vgg19, (2, 3, 64, 64), "classifier"),
    "vgg19_bn": (models.vgg19_bn, (2, 3, 64, 64), "classifier"),
    "convnext_tiny": (models.convnext_tiny, (2, 3, 64, 64), "classifier"),
}

SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def write_safetensors(path: str, tensors: dict) -> None:
    """safetensors: 8-byte little-endian header length, JSON header (dtype, shape, data_offsets), raw data."""
    header, blobs, offset = {}, [], 0
    for key, tensor in tensors.items():
        tensor = tensor.detach().cpu().contiguous()
        data = tensor.numpy().tobytes()
        header[key] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt", "source": "Graft tests/parity/make_fixtures.py"}
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path + ".partial", "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
    os.replace(path + ".partial", path)


def fingerprint(tensor: torch.Tensor) -> list:
    """Sum, sum of squares, first and last value, in float64: equal for equal tensors, cheap to store."""
    t = tensor.detach().reshape(-1).double()
    if t.numel() == 0:
        return [0.0, 0.0, 0.0, 0.0]
    return [t.sum().item(), (t * t).sum().item(), t[0].item(), t[-1].item()]


def perturb(model: nn.Module, calibration: torch.Tensor, generator: torch.Generator) -> None:
    """Makes every normalisation and bias matter: torchvision's init leaves BatchNorm/LayerNorm as the identity,
    running statistics at 0/1, biases at zero and ConvNeXt's layer_scale at 1e-6, which would hide mistakes.
    BatchNorm running statistics are measured on a random calibration batch (arbitrary statistics would make
    activations grow without bound through a hundred layers), so they are realistic, nonzero, and not the
    statistics of the test batch."""
    batch_norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.2, 0.8, generator=generator)
                m.bias.normal_(0.0, 0.1, generator=generator)
            elif isinstance(m, nn.LayerNorm):
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.normal_(0.0, 0.1, generator=generator)
            elif isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
                m.bias.normal_(0.0, 0.05, generator=generator)
        for m in model.modules():
            # The last BatchNorm of a ResNet branch is small in trained ResNets (torchvision can even zero-initialise
            # it); with unit scale, 33 random bottlenecks amplify float32 rounding past the 1e-4 being tested.
            last = getattr(m, "bn3", None) if isinstance(m, Bottleneck) else getattr(m, "bn2", None) if isinstance(m, BasicBlock) else None
            if last is not None:
                last.weight.uniform_(0.05, 0.25, generator=generator)
        for name, p in model.named_parameters():
            if name.endswith("layer_scale"):
                p.uniform_(0.1, 0.5, generator=generator)
        if batch_norms:
            momenta = [m.momentum for m in batch_norms]
            for m in batch_norms:
                m.reset_running_stats()
                m.momentum = None  # cumulative average: after one batch, exactly that batch's statistics
            model.eval()
            for m in batch_norms:
                m.train()  # only BatchNorm: stochastic depth and dropout would skew the statistics
            model(calibration)
            for m, momentum in zip(batch_norms, momenta):
                m.momentum = momentum
                # A channel that is almost always zero after a ReLU has a tiny variance, and dividing by its square
                # root amplifies float rounding a hundredfold; a floor keeps float32 results comparable at 1e-4.
                m.running_var.clamp_(min=0.05)
                m.num_batches_tracked.fill_(100)


def make(name: str, folder: str) -> dict:
    build, input_shape, head_name = ARCHITECTURES[name]
    torch.manual_seed(INIT_SEED)
    model = build()
    state = model.state_dict()
    buffers = {k for k, _ in model.named_buffers()}
    record = {
        "name": name,
        "input_shape": list(input_shape),
        "head": head_name,
        "seeds": {"init": INIT_SEED, "input": INPUT_SEED, "train": TRAIN_SEED},
        "num_params": sum(p.numel() for p in model.parameters()),
        "keys": [{"key": k, "shape": list(v.shape), "kind": "buffer" if k in buffers else "parameter"}
                 for k, v in state.items()],
        "init": {k: fingerprint(v) for k, v in state.items() if k not in buffers},
    }

    generator = torch.Generator().manual_seed(PERTURB_SEED)
    calibration = torch.randn((16 if input_shape[-1] <= 64 else 4,) + tuple(input_shape[1:]), generator=generator)
    perturb(model, calibration, generator)
    state = model.state_dict()
    torch.save(state, os.path.join(folder, name + ".pth"))
    write_safetensors(os.path.join(folder, name + ".safetensors"), state)

    x = torch.randn(input_shape, generator=torch.Generator().manual_seed(INPUT_SEED))
    captured = {}
    hook = getattr(model, head_name).register_forward_pre_hook(lambda m, inputs: captured.update(features=inputs[0].clone()))
    model.eval()
    with torch.no_grad():
        logits = model(x)
    hook.remove()

    model.train()
    torch.manual_seed(TRAIN_SEED)
    with torch.no_grad():
        train_logits = model(x)
    write_safetensors(os.path.join(folder, name + ".io.safetensors"),
                      {"input": x, "logits": logits, "features": captured["features"], "train_logits": train_logits})
    write_safetensors(os.path.join(folder, name + ".train.safetensors"),
                      {k: v for k, v in model.named_buffers()})

    with open(os.path.join(folder, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(record, f)
    return {"logits_max_abs": logits.abs().max().item()}


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    names = sys.argv[2:] or list(ARCHITECTURES)
    unknown = [n for n in names if n not in ARCHITECTURES]
    if unknown:
        sys.exit(f"unknown architectures {unknown}; known: {list(ARCHITECTURES)}")
    torch.set_num_threads(1)
    os.makedirs(folder, exist_ok=True)
    manifest = {"torch": torch.__version__, "architectures": {}}
    for name in names:
        start = time.time()
        info = make(name, folder)
        info["seconds"] = round(time.time() - start, 2)
        manifest["architectures"][name] = info
        print(f"{name}: {info}", flush=True)
    with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
