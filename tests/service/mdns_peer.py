"""A child process for the discovery test: advertise one made-up node, print every node seen.

Usage: python -m tests.service.mdns_peer NODE_ID FP PORT ADDRESS SECONDS EXPECT_NODE_ID
Prints one JSON line per sighting; once it has seen EXPECT_NODE_ID it stays one more second
(so the other side sees it too), at most SECONDS in all, then prints ``closed`` after a
clean close.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from crypto.encoding import b64u_decode
from sync.discovery import Discovery, Sighting


async def main(node_id: str, fp: str, port: int, address: str, seconds: float, expect: str) -> None:
    """Run discovery for a while, reporting sightings on stdout."""
    seen = asyncio.Event()
    started = time.monotonic()

    def report(sighting: Sighting, added: bool) -> None:
        print(json.dumps({"node": sighting.node_id, "addresses": list(sighting.addresses), "port": sighting.port,
                          "proto": sighting.protocol, "added": added,
                          "after_s": round(time.monotonic() - started, 3)}), flush=True)
        if sighting.node_id == expect:
            seen.set()

    discovery = Discovery(node_id=node_id, tls_fp=b64u_decode(fp), port=port, interfaces=[address], on_change=report)
    await discovery.start()
    print("started", flush=True)
    try:
        try:
            await asyncio.wait_for(seen.wait(), seconds)
            await asyncio.sleep(1.0)
        except TimeoutError:
            pass
    finally:
        await discovery.close()
    print("closed", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), sys.argv[6]))
