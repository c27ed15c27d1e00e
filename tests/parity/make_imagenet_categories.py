"""Writes src/Graft/Models/imagenet_categories.txt: torchvision's 1000 ImageNet-1K category names, one per line,
in class-index order (the order of the logits of every ImageNet classifier in the zoo).

Run once with Debian's Python, which has torchvision 0.14:
    /usr/bin/python3 tests/parity/make_imagenet_categories.py
"""
import os
import sys

from torchvision.models._meta import _IMAGENET_CATEGORIES


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.path.join(root, "src", "Graft", "Models", "imagenet_categories.txt")
    names = list(_IMAGENET_CATEGORIES)
    if len(names) != 1000 or any("\n" in n or not n.strip() for n in names):
        sys.exit(f"unexpected category list ({len(names)} names)")
    temp = target + ".partial"
    with open(temp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(names) + "\n")
    os.replace(temp, target)
    print(f"wrote {len(names)} names to {target}")


if __name__ == "__main__":
    main()
