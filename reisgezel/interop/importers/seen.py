"""The identifiers an import has read so far, to refuse one that comes back in the file.

Without this, a second record with the identifier of an earlier one would be taken as an
update of it: the first record's data lost without a word, and every re-import of the
unchanged file writing both again (the stored hash is the last one's).

Memory stays about flat: each identifier is kept as a 64-bit hash with the number of the
record that had it (16 bytes a record, 16 MB for a million), in sorted numpy arrays merged
like a log-structured tree (a batch's array merges with the newest level while that is
not larger, so every identifier is merged a logarithmic number of times). Two different
identifiers with the same hash (about one chance in 10^7 for a million) would make the
second one fail as a duplicate. A resumed job knows only what it read after its
checkpoint.
"""

from __future__ import annotations

import hashlib

import numpy as np

Array = np.ndarray[tuple[int], np.dtype[np.uint64]]


def _hash(identifier: str) -> int:
    return int.from_bytes(hashlib.blake2b(identifier.encode(), digest_size=8).digest(), "little")


class SeenIdentifiers:
    def __init__(self) -> None:
        # (sorted hashes, record numbers in the same order), oldest and largest first
        self._levels: list[tuple[Array, Array]] = []

    def _earlier(self, keys: Array) -> dict[int, int]:
        """Hash -> record number, for the `keys` some level holds: one vectorised
        search per level for the whole batch (this runs for every record of an import)."""
        found: dict[int, int] = {}
        for hashes, numbers in self._levels:
            at = np.searchsorted(hashes, keys)
            inside = at < len(hashes)
            hit = np.zeros(len(keys), dtype=np.bool_)
            hit[inside] = hashes[at[inside]] == keys[inside]
            for key, number in zip(keys[hit].tolist(), numbers[at[hit]].tolist(), strict=True):
                found.setdefault(key, number)
        return found

    def check_and_add(self, batch: list[tuple[int, str]]) -> dict[int, int]:
        """Record number -> the number of the earlier record with the same identifier,
        for the records of `batch` ((number, identifier) pairs, in file order) whose
        identifier was read before; the others are remembered."""
        hashed = [(number, _hash(identifier)) for number, identifier in batch]
        keys = np.fromiter((key for _n, key in hashed), dtype=np.uint64, count=len(hashed))
        earlier = self._earlier(keys) if self._levels and len(keys) else {}
        repeated: dict[int, int] = {}
        first_in_batch: dict[int, int] = {}
        for number, key in hashed:
            before = earlier.get(key, first_in_batch.get(key))
            if before is not None:
                repeated[number] = before
            else:
                first_in_batch[key] = number
        if first_in_batch:
            self._add(first_in_batch)
        return repeated

    def _add(self, new: dict[int, int]) -> None:
        hashes = np.fromiter(new.keys(), dtype=np.uint64, count=len(new))
        numbers = np.fromiter(new.values(), dtype=np.uint64, count=len(new))
        order = np.argsort(hashes, kind="stable")
        level = (hashes[order], numbers[order])
        while self._levels and len(self._levels[-1][0]) <= len(level[0]):
            older_hashes, older_numbers = self._levels.pop()
            merged_hashes = np.concatenate([older_hashes, level[0]])
            merged_numbers = np.concatenate([older_numbers, level[1]])
            order = np.argsort(merged_hashes, kind="stable")
            level = (merged_hashes[order], merged_numbers[order])
        self._levels.append(level)
