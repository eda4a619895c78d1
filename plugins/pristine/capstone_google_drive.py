"""Capstone 2: Google Drive, a file store wired from your own components.

The design question: users upload files (a new version overwrites the last one), download
them, rename and move them, delete them, keep them in folders, and share a file with another
user, read-only or read-write. The bytes of files are large and written once; the metadata
(names, folders, owners, shares, which blocks make a file) is small and changes in place. An
acknowledged upload must never be lost (a disk may die), a download must return exactly the
bytes uploaded (a disk may flip bits), and a user must never see a file that is not shared with
them (a revoked share stops working within a second).

There is no new algorithm here. This module is the **wiring**: which nodes exist, which of
your components runs on each, how they talk, and which policies apply. The components are the
ones you built in the concept exercises, handed to you as ``parts``:
``parts.specialized_storage.BlobStore`` (content-addressed, de-duplicated, checksummed chunks),
``parts.hashing.RendezvousHashing`` (which nodes hold a block), ``parts.replication.Replica``
(a synchronous primary-replica pair for the metadata), ``parts.caching.LRUCache`` (permissions
on the front end). They are your own modules (``exercises/specialized_storage.py``...), so a
capstone grades your components inside a system; under ``--solutions`` they are the references.

What the suite fixes (the rest is yours):

* Clients send every request to ``http://api/...`` with a header ``X-User: <user>``: add a node
  named ``api``.
* Blocks: files are cut into blocks of ``spec.block_size`` bytes (16 KB here, standing for
  4 MB; the last block may be shorter). Keep every block node's blocks on its disk, in
  ``node.durable`` (a lost disk empties it; a crash keeps it), each block as one ``bytes``
  value holding exactly its bytes (a ``BlobStore(chunk_size=spec.block_size)`` there does
  that): the suite counts the bytes held there (every ``bytes`` value reachable from
  ``node.durable``), finds a block's good copies by their SHA-256, and corrupts copies there.
  ``spec.replicas`` (2): the copies of every block the bill pays for.
* Node budget: the wiring may add at most ``spec.budget`` (8) nodes.
* Roles: ``spec.assign("blocks", [names])`` names the nodes storing blocks (the suite takes the
  first one's disk, crashes the second, corrupts copies on the third: assign at least three),
  ``spec.assign("metadata", [names])`` the nodes of the metadata store, the primary first (the
  suite crashes the first).
* Faults are the suite's alone: the wiring never crashes, restarts, pauses, slows, partitions
  or heals anything (a wiring that does is not well formed, task 2).

The public API (what ``api`` must answer; ``<id>`` is chosen by the client; JSON unless said):

| call | answer |
|---|---|
| ``PUT /folders/<id>`` ``{"name", "parent"}`` | create a folder (``parent`` null: at the top); 200 (again by its owner: 200 too); 404/403 when the parent is missing / not the caller's; 409 when another user has that id |
| ``GET /folders/<id>`` | 200 ``{"id", "name", "children": [{"id", "name", "kind"}]}`` (``kind``: ``"file"`` or ``"folder"``); the owner only |
| ``PATCH /folders/<id>`` ``{"name"?, "folder"?}`` | rename / move under another of the caller's folders; 409 for a move into itself or below itself |
| ``DELETE /folders/<id>`` | 200; 409 while it is not empty |
| ``PUT /files/<id>?folder=<f>&name=<n>`` (the bytes as body) | a new file in folder ``f`` (the caller's), or a new version of file ``<id>`` (its owner, or a user it is shared with for writing); 200 ``{"id", "version", "sha256"}`` once stored durably; 409 when ``<id>`` is a folder |
| ``GET /files/<id>`` | 200, the bytes of the last version |
| ``GET /files/<id>/meta`` | 200 ``{"id", "name", "folder", "owner", "version", "size", "sha256"}`` (``sha256``: hex digest of the whole file) |
| ``PATCH /files/<id>`` ``{"name"?, "folder"?}`` | rename / move into another of the owner's folders (owner or write share) |
| ``DELETE /files/<id>`` | 200 (the owner only) |
| ``PUT /shares/<file id>/<user>`` ``{"access": "read" or "write"}`` | share (the owner only) |
| ``DELETE /shares/<file id>/<user>`` | revoke (the owner only); reads by that user refused from 1 s after this answer |

A caller without the right gets 403 (404 is fine too for a file that is not shared with them);
what does not exist is 404. A user reads and writes a file they own or that is shared with them;
folders are never shared.

How the suite grades it (one seeded run of 55 s of virtual time, measured from t = 5 s): 20
users; uploads 2/s of 16-128 KB files (40% copies of the same 20 attachments, new versions
mostly one block edited), downloads 5/s, file details and listings 8/s, renames, moves, shares,
revocations and deletes 1.5/s, probes of other users' files 1/s. The first "blocks" node loses
its disk at t = 19.5 (back, empty, at 24), the copies of the attachments' blocks on the third are
corrupted at 28, the first "metadata" node crashes at 35 (back at 37), the second "blocks"
node crashes at 44 (back at 49); a share is revoked at 30 while its user keeps reading. Then
a settle (heal, restart, 10 s) and a download of every file by its owner. Each service-level
objective (SLO) is one graded test, and a failure shows its SLO table row: objective, target,
measured, pass/fail, points.

Tasks:

1. ``estimate``: back-of-the-envelope figures (uploads a second, bandwidth, storage a year,
   metadata, the time to send a large file) from the requirements.
2. ``wire``: the ``api`` entry, the block nodes and the metadata nodes; files and folders
   (upload, download, rename, move, delete, listings) with the right answers.
3. Blocks named by their hash: identical blocks stored once, every read checked against its
   hash.
4. Durable blocks: two copies before an upload is acknowledged, reads that fall back to the
   other copy, a repair that copies back what a lost disk or a corruption took.
5. Metadata on a synchronous replica pair: no acknowledged write lost, no read held up by a
   crashed primary.
6. Sharing: permissions checked on every request; a cached permission dropped when it
   changes.
"""

from __future__ import annotations

from typing import Any

#: The requirements of the design question, as ``estimate`` receives them.
REQUIREMENTS = {
    "users": 1_000_000_000,
    "uploading_share": 0.1,            # share of the users who upload on a given day
    "uploads_per_uploader_per_day": 1,
    "average_file_bytes": 1_000_000,
    "downloads_per_upload": 3,
    "replicas": 3,                     # copies of every block on disk
    "metadata_bytes_per_file": 1_000,
    "largest_file_bytes": 1_000_000_000,
    "client_bytes_per_second": 100_000_000,   # the notes' 1 Gbps: 10 ms per MB
    "block_bytes": 4_000_000,
}


def estimate(requirements: dict) -> dict:
    """Task 1: the back-of-the-envelope figures for ``requirements`` (shaped like
    :data:`REQUIREMENTS`), as a dict of floats:

    * ``"uploads_per_second"``: on average over a day (a day is 86,400 s);
    * ``"upload_bytes_per_second"``: bytes uploaded a second;
    * ``"download_bytes_per_second"``: bytes downloaded a second;
    * ``"files_per_user_per_year"``: new files per user over a year (365 days), on average;
    * ``"logical_bytes_per_year"``: bytes of the files uploaded in a year, counted once;
    * ``"raw_bytes_per_year"``: what the disks hold for them, with every copy;
    * ``"metadata_bytes_per_year"``: metadata of the files uploaded in a year;
    * ``"seconds_to_send_largest_file"``: the largest file over one client's link;
    * ``"blocks_per_largest_file"``: blocks the largest file is cut into.

    The suite checks each figure within 20% of its own calculation, for the stated requirements
    and for other ones."""
    raise NotImplementedError("task 1: implement estimate")


def wire(cluster: Any, parts: Any, spec: Any) -> None:
    """Tasks 2-6: build the system in ``cluster`` (add nodes with ``cluster.add_node``, routes
    with ``node.route`` or ``node.on_http``, timers, start hooks: see docs/cluster.md), out of
    ``parts`` (``parts.specialized_storage``, ``parts.hashing``, ``parts.replication``,
    ``parts.caching``), and tell the suite which nodes play which role with
    ``spec.assign("blocks", [...])`` and ``spec.assign("metadata", [...])``.
    ``spec.block_size``, ``spec.replicas`` and ``spec.budget`` are the figures above.

    The suite calls it once, at t = 0, before any traffic; everything after that happens in
    the nodes' handlers, timers and tasks."""
    raise NotImplementedError("task 2: implement wire")
