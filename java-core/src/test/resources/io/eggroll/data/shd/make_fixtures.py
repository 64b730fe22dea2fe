"""Writes the tiny SHD-layout fixtures next to this script (run once; the product never runs Python).

Layout and dtypes as in the released shd_*.h5 / ssc_*.h5 files (zenkelab.org/datasets, read by
Tonic's tonic/datasets/hsd.py):
  spikes/times  vlen float16, seconds      spikes/units  vlen uint16, 0..699
  labels        uint16, one per sample     extra/keys    class names; extra/speaker uint16
Usage: python make_fixtures.py   (needs h5py and numpy)
"""
import os
import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def sample(rng, label, n=60):
    # Each class fires its own band of 35 channels, spread over about 0.5 s.
    units = (label * 35 + rng.integers(0, 35, n)).astype(np.uint16)
    times = np.sort(rng.uniform(0.0, 0.5, n)).astype(np.float16)
    return times, units


def write(path, labels, seed, times_dtype=np.float16, bad_unit=False, drop=None):
    rng = np.random.default_rng(seed)
    with h5py.File(path, "w") as f:
        vt = h5py.vlen_dtype(np.dtype(times_dtype))
        vu = h5py.vlen_dtype(np.dtype(np.uint16))
        times = f.create_dataset("spikes/times", (len(labels),), dtype=vt)
        units = f.create_dataset("spikes/units", (len(labels),), dtype=vu)
        for i, lab in enumerate(labels):
            t, u = sample(rng, lab)
            if bad_unit and i == 1:
                u[3] = 700
            times[i] = t.astype(times_dtype)
            units[i] = u
        if drop != "labels":
            f.create_dataset("labels", data=np.array(labels, dtype=np.uint16))
        f.create_dataset("extra/keys", data=[("d%d" % k).encode() for k in range(20)])
        f.create_dataset("extra/speaker", data=np.zeros(len(labels), dtype=np.uint16))


train = [0, 1, 2, 3] * 3
test = [0, 1, 2, 3]
os.makedirs(os.path.join(HERE, "ok"), exist_ok=True)
write(os.path.join(HERE, "ok", "shd_train.h5"), train, 1)
write(os.path.join(HERE, "ok", "shd_test.h5"), test, 2)
os.makedirs(os.path.join(HERE, "float32"), exist_ok=True)
write(os.path.join(HERE, "float32", "shd_train.h5"), [0, 1], 3, times_dtype=np.float32)
write(os.path.join(HERE, "float32", "shd_test.h5"), [1], 4, times_dtype=np.float32)
os.makedirs(os.path.join(HERE, "badunit"), exist_ok=True)
write(os.path.join(HERE, "badunit", "shd_train.h5"), [0, 1, 2], 5, bad_unit=True)
write(os.path.join(HERE, "badunit", "shd_test.h5"), [0], 6)
os.makedirs(os.path.join(HERE, "nolabels"), exist_ok=True)
write(os.path.join(HERE, "nolabels", "shd_train.h5"), [0, 1], 7, drop="labels")
write(os.path.join(HERE, "nolabels", "shd_test.h5"), [0], 8)
