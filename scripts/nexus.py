"""The NeXus layout detectors write, for the scripts that make HDF5 files with h5py (the HDF5
fixtures, bench:job's data set): /entry/data the NXdata whose signal is `data`, the root's and the
entry's `default` attributes pointing to it, as `load('run.h5')` and viewers find it."""


def nxdata(f):
    """Makes /entry/data in the open h5py File `f` and returns the group: create the signal,
    `data`, in it."""
    f.attrs["default"] = "entry"
    entry = f.create_group("entry")
    entry.attrs["NX_class"] = "NXentry"
    entry.attrs["default"] = "data"
    data = entry.create_group("data")
    data.attrs["NX_class"] = "NXdata"
    data.attrs["signal"] = "data"
    return data
