#!/usr/bin/python3
"""Oracle fixtures for Graft's weight loading (run with Debian's /usr/bin/python3 and its torch 1.13).

    make_weight_fixtures.py OUT_DIR     write checkpoints with torch.save, hostile files, and the expected
                                        tensor values as safetensors (written here by hand, from torch's bytes)
    make_weight_fixtures.py --check F   check a safetensors file written by Graft: layout as the format requires,
                                        every tensor bitwise equal to the fixtures regenerated here

Everything is seeded, so the same tensors come out on every run.
"""
import collections
import copy
import json
import os
import pickle
import struct
import sys
import zipfile

import torch
from torch import nn

MARKER_NAME = "PICKLE-PAYLOAD-RAN"  # created in OUT_DIR only if a hostile pickle's payload runs

SAFETENSORS_DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}
TORCH_DTYPES = {name: dtype for dtype, name in SAFETENSORS_DTYPES.items()}


def dtype_tensors():
    """One tensor per dtype, plus scalars, empties and special floats."""
    g = torch.Generator().manual_seed(1234)
    special = torch.tensor([0.0, -0.0, 1.5, float("inf"), float("-inf"), float("nan"), 1e-40, 65504.0])
    return collections.OrderedDict([
        ("f32", torch.randn(3, 5, generator=g)),
        ("f64", torch.randn(4, generator=g, dtype=torch.float64)),
        ("f16", torch.randn(2, 3, generator=g).half()),
        ("bf16", torch.randn(2, 3, generator=g).bfloat16()),
        ("i64", torch.randint(-2**40, 2**40, (5,), generator=g)),
        ("i32", torch.randint(-2**31, 2**31 - 1, (2, 2), generator=g, dtype=torch.int32)),
        ("i16", torch.randint(-2**15, 2**15 - 1, (3,), generator=g, dtype=torch.int16)),
        ("i8", torch.randint(-128, 127, (6,), generator=g, dtype=torch.int8)),
        ("u8", torch.randint(0, 255, (2, 3), generator=g, dtype=torch.uint8)),
        ("bool", torch.rand(7, generator=g) > 0.5),
        ("scalar", torch.tensor(3.25)),
        ("empty", torch.zeros(0, 4)),
        ("special_f32", special),
        ("special_f16", special.half()),
        ("special_bf16", special.bfloat16()),
    ])


def view_tensors():
    """Views: transposed, sliced, offset, expanded, and several tensors sharing one storage."""
    base = torch.arange(60, dtype=torch.float32).reshape(6, 10)
    halves = torch.arange(10, dtype=torch.int64)
    brain = (torch.arange(24, dtype=torch.float32) / 7).bfloat16().reshape(4, 6)
    return collections.OrderedDict([
        ("base", base),
        ("transposed", base.t()),
        ("column_slice", base[:, 2:9:3]),
        ("row_offset", base[4:]),
        ("flat_window", base.view(-1)[7:13]),
        ("expanded", torch.arange(3, dtype=torch.float32).expand(4, 3)),
        ("first_half", halves[:5]),
        ("second_half", halves[5:]),
        ("bf16_strided", brain[1:, ::2]),
    ])


def tiny_model():
    """Conv + BatchNorm + Linear, with running statistics from three training steps."""
    torch.manual_seed(7)
    model = nn.Sequential(collections.OrderedDict([
        ("conv", nn.Conv2d(3, 4, 3, padding=1, bias=False)),
        ("bn", nn.BatchNorm2d(4)),
        ("relu", nn.ReLU()),
        ("pool", nn.AdaptiveAvgPool2d(2)),
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(16, 5)),
    ]))
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, 3, 8, 8))
    model.eval()
    x = torch.randn(2, 3, 8, 8)
    with torch.no_grad():
        y = model(x)
    return model, x, y


def big_endian_tensors():
    g = torch.Generator().manual_seed(5)
    return collections.OrderedDict([
        ("f32", torch.randn(2, 3, generator=g)),
        ("f16", torch.randn(4, generator=g).half()),
        ("i64", torch.randint(-2**40, 2**40, (3,), generator=g)),
        ("u8", torch.arange(5, dtype=torch.uint8)),
    ])


def write_big_endian(path):
    """torch.save, then every storage record byte-swapped and a 'byteorder' record saying 'big': what a
    big-endian machine writes (torch 1.13 here is little-endian only)."""
    tensors = big_endian_tensors()
    torch.save(tensors, path)
    element_sizes = {str(i): t.element_size() for i, t in enumerate(tensors.values())}  # keys follow dict order
    with zipfile.ZipFile(path) as z:
        records = {info.filename: z.read(info.filename) for info in z.infolist()}
    name = os.path.splitext(os.path.basename(path))[0]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for record, data in records.items():
            key = record[len(f"{name}/data/"):] if record.startswith(f"{name}/data/") else None
            if key is not None:
                size = element_sizes[key]
                data = b"".join(data[i:i + size][::-1] for i in range(0, len(data), size))
            z.writestr(record, data)
        z.writestr(f"{name}/byteorder", "big")


def parameter_tensors():
    g = torch.Generator().manual_seed(99)
    return collections.OrderedDict([
        ("weight", nn.Parameter(torch.randn(3, 2, generator=g))),
        ("bias", nn.Parameter(torch.randn(3, generator=g), requires_grad=False)),
    ])


def plain_values():
    """Plain Python values of every kind a pickle may hold (the C# test states the same values)."""
    shared = [1, 2]
    return {"int": 1, "negative": -5, "int32": 2**31 + 1, "big": 2**70, "most_negative": -(2**63), "float": 1.5,
            "text": "h\u00e9llo \u2713", "bytes": b"\x00\x01\xff", "list": [1, [2, 3], (4, 5)], "empty_tuple": (),
            "none": None, "true": True, "false": False, "nested": {"k": "v"}, 7: "int key", (1, 2): "tuple key",
            "shared": shared, "shared_again": shared}


def expected_tensors():
    """Every tensor the C# side must reproduce bitwise, keyed "<fixture>/<key>"."""
    expected = collections.OrderedDict()
    model, _, _ = tiny_model()
    groups = [("dtypes", dtype_tensors()), ("views", view_tensors()), ("module", model.state_dict()),
              ("parameters", parameter_tensors()), ("big_endian", big_endian_tensors())]
    for group, tensors in groups:
        for key, tensor in tensors.items():
            expected[f"{group}/{key}"] = tensor.detach()
    return expected


def raw_bytes(tensor):
    """The tensor's elements in row-major order, little-endian, as torch holds them."""
    flat = tensor.detach().contiguous().reshape(-1)
    return flat.view(torch.uint8).numpy().tobytes() if flat.numel() else b""


def write_safetensors(path, tensors, metadata=None):
    """safetensors by hand: 8-byte little-endian header length, JSON header padded with spaces, raw data.
    Tensors are laid out in name order (the C# writer uses a different order; readers must not care)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        data = raw_bytes(tensors[name])
        header[name] = {"dtype": SAFETENSORS_DTYPES[tensors[name].dtype], "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def torch_style_zip(path, pickle_bytes, records=None):
    """A zip laid out like torch.save's: <name>/data.pkl, <name>/data/<key>, <name>/version."""
    name = os.path.splitext(os.path.basename(path))[0]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{name}/data.pkl", pickle_bytes)
        for key, data in (records or {}).items():
            z.writestr(f"{name}/data/{key}", data)
        z.writestr(f"{name}/version", "3\n")


def os_system_pickle(command):
    """Hand-written protocol-2 pickle that calls os.system(command) when unpickled by Python."""
    encoded = command.encode()
    return (b"\x80\x02" + b"cos\nsystem\n" + b"q\x00" + b"X" + struct.pack("<I", len(encoded)) + encoded
            + b"\x85" + b"R" + b".")


class SystemCall:
    """Pickles as os.system(command): what a hostile checkpoint would contain."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


class EvalCall:
    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        return (eval, (self.code,))


def write_fixtures(out):
    os.makedirs(out, exist_ok=True)
    marker = os.path.join(out, MARKER_NAME)
    touch = f"touch '{marker}'"

    torch.save(dtype_tensors(), os.path.join(out, "dtypes.pth"))
    torch.save(view_tensors(), os.path.join(out, "views.pth"))
    torch.save(parameter_tensors(), os.path.join(out, "parameters.pth"))
    write_big_endian(os.path.join(out, "big_endian.pth"))

    model, x, y = tiny_model()
    state = model.state_dict()
    torch.save(state, os.path.join(out, "module.pth"))
    write_safetensors(os.path.join(out, "module_io.safetensors"), {"input": x, "output": y})
    torch.save(collections.OrderedDict(("module." + k, v) for k, v in state.items()),
               os.path.join(out, "data_parallel.pth"))
    trained = copy.deepcopy(model)  # so that `state` keeps the fixture values
    optimizer = torch.optim.SGD(trained.parameters(), lr=0.1, momentum=0.9)
    trained(torch.randn(2, 3, 8, 8)).sum().backward()
    optimizer.step()  # the optimizer state now holds momentum tensors under integer keys
    torch.save({"state_dict": state, "epoch": 7, "best_accuracy": 0.91, "arch": "tiny",
                "optimizer": optimizer.state_dict()}, os.path.join(out, "nested.pth"))
    torch.save({"model": state, "ema": state, "epoch": 3}, os.path.join(out, "ambiguous.pth"))
    torch.save(state, os.path.join(out, "legacy.pth"), _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(model.eval()), os.path.join(out, "torchscript.pt"))

    # Hostile files. Each would run `touch MARKER` if unpickled by Python; the C# test checks the marker never appears.
    torch_style_zip(os.path.join(out, "hostile_os_system.pth"), os_system_pickle(touch))
    torch.save({"weight": torch.ones(2), "payload": SystemCall(touch)}, os.path.join(out, "hostile_in_state_dict.pth"))
    torch_style_zip(os.path.join(out, "hostile_stack_global.pth"),
                    pickle.dumps(EvalCall(f"__import__('os').system({touch!r})"), protocol=4))
    # Control: the payload is real. Python's own unpickler runs it (on a different marker, removed again).
    control = os.path.join(out, "control-marker")
    pickle.loads(os_system_pickle(f"touch '{control}'"))
    assert os.path.exists(control), "the os.system payload did not run under Python's pickle: fixture is wrong"
    os.remove(control)

    cyclic = {"name": "loop"}
    cyclic["self"] = cyclic
    torch.save(cyclic, os.path.join(out, "cyclic.pth"))
    for protocol in (0, 2, 4, 5):
        with open(os.path.join(out, f"values_protocol{protocol}.pkl"), "wb") as f:
            pickle.dump(plain_values(), f, protocol=protocol)

    write_safetensors(os.path.join(out, "expected.safetensors"), expected_tensors(),
                      {"writer": "make_weight_fixtures.py", "torch": torch.__version__})


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    text = data[8:8 + length]
    header = json.loads(text)
    metadata = header.pop("__metadata__", {})
    return data, length, text, header, metadata


def check(path):
    """Checks a Graft-written safetensors file holding the dtypes/ and views/ fixtures."""
    data, length, text, header, metadata = read_safetensors(path)
    problems = []
    if length % 8:
        problems.append(f"header length {length} is not a multiple of 8")
    if text.rstrip(b" ") != text.rstrip():
        problems.append("header padding is not spaces")
    body = data[8 + length:]
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in header.items())
    position = 0
    for begin, end, name in spans:
        if begin != position:
            problems.append(f"{name}: starts at {begin}, expected {position}")
        position = end
    if position != len(body):
        problems.append(f"tensors cover {position} bytes, data section has {len(body)}")

    expected = {k: v for k, v in expected_tensors().items() if k.split("/")[0] in ("dtypes", "views")}
    if set(header) != set(expected):
        problems.append(f"keys differ: missing {sorted(set(expected) - set(header))}, extra {sorted(set(header) - set(expected))}")
    for name, info in header.items():
        if name not in expected:
            continue
        want = expected[name]
        begin, end = info["data_offsets"]
        if TORCH_DTYPES.get(info["dtype"]) != want.dtype:
            problems.append(f"{name}: dtype {info['dtype']}, expected {SAFETENSORS_DTYPES[want.dtype]}")
        if info["shape"] != list(want.shape):
            problems.append(f"{name}: shape {info['shape']}, expected {list(want.shape)}")
        if body[begin:end] != raw_bytes(want):
            problems.append(f"{name}: bytes differ")
        if end > begin and begin % want.element_size():
            problems.append(f"{name}: offset {begin} not aligned to {want.element_size()} bytes")
    if metadata.get("graft.test") != "round-trip":
        problems.append(f"metadata is {metadata}")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"OK {len(header)} tensors")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    elif len(sys.argv) == 2:
        write_fixtures(sys.argv[1])
    else:
        sys.exit(__doc__)
