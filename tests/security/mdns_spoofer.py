"""A child process for the discovery attacks: announce made-up or borrowed node keys by mDNS.

Usage: python -m tests.security.mdns_spoofer ADDRESS SECONDS SPEC_JSON
SPEC_JSON is a list of {"node": KEY, "fp": FP}. Every service points at one TCP port this
process listens on, so the test can count how often the attacked node came to fetch. Prints
``listening PORT``, then ``registered N``; stops at a line on stdin or after SECONDS, then
prints ``fetches N`` (connections accepted) and ``closed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sys

from zeroconf import IPVersion
from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf

from crypto.encoding import b64u_decode
from crypto.identity import key_digest
from sync.discovery import PROTOCOL, SERVICE_TYPE, service_name


async def main(address: str, seconds: float, spec: list[dict[str, str]]) -> None:
    fetches = 0

    async def knock(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal fetches
        fetches += 1
        writer.close()

    server = await asyncio.start_server(knock, address, 0, family=socket.AF_INET)
    port = server.sockets[0].getsockname()[1]
    print(f"listening {port}", flush=True)
    aiozc = AsyncZeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
    announced = []
    for item in spec:
        digest = key_digest(b64u_decode(item["node"])).lower()
        info = AsyncServiceInfo(SERVICE_TYPE, service_name(item["node"]), addresses=[socket.inet_aton(address)],
                                port=port, properties={"node": item["node"], "fp": item["fp"], "proto": PROTOCOL},
                                server=f"buurthulp-{digest}.local.")
        announced.append(await aiozc.async_register_service(info, cooperating_responders=True))
    await asyncio.gather(*announced)  # the announcements go out side by side
    print(f"registered {len(spec)}", flush=True)
    loop = asyncio.get_running_loop()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.readline), seconds)
    print(f"fetches {fetches}", flush=True)
    await aiozc.async_unregister_all_services()
    await aiozc.async_close()
    server.close()
    print("closed", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])))
