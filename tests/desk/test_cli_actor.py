"""Every view of personal data has an actor (acceptance 5): with the key file and no PIN, `privacy export`,
`person show` and `withdraw` refuse; with a volunteer's PIN they work and the audit log names the volunteer.
Bundles and pairing are logged with who did them."""

from __future__ import annotations

import re
from pathlib import Path

from noticeboard.clock import utcnow
from noticeboard.desk import accounts, audit
from tests.desk.fixtures import PASSPHRASE, PIN, NodeDir
from tests.support import make_node

COORD = {"NOTICEBOARD_PASSPHRASE": PASSPHRASE}
VOLUNTEER = {"NOTICEBOARD_PIN": PIN}


def _setup(nd: NodeDir) -> tuple[str, str]:
    assert nd.cli("volunteer", "add", "Greet", env={**COORD, "NOTICEBOARD_NEW_PIN": PIN}).code == 0
    card = re.findall(r"K-\w{4}", nd.cli("person", "add", "--first-name", "Ans", "--phone", "0594-111111",
                                         env=COORD).out)[0]
    ref = re.findall(r"BH-\w{4}", nd.cli("intake", "--for", card, "--category", "tuin", "--title", "Heg knippen",
                                         env=COORD).out)[0]
    return card, ref


def test_personal_data_commands_refuse_without_a_pin_and_name_the_volunteer(desk_dir: NodeDir) -> None:
    nd = desk_dir
    card, ref = _setup(nd)
    for args in (("privacy", "export", "0594-111111"), ("person", "show", card), ("withdraw", ref),
                 ("privacy", "export", "--card", card, "--as", "1")):
        refused = nd.cli(*args)
        assert refused.code != 0, args
        assert "0594" not in refused.out and "Ans" not in refused.out
    wrong = nd.cli("privacy", "export", "--card", card, "--volunteer", "1", env={"NOTICEBOARD_PIN": "9753"})
    assert wrong.code == 4 and "Ans" not in wrong.out
    exported = nd.cli("privacy", "export", "--card", card, "--volunteer", "1", env=VOLUNTEER)
    assert exported.code == 0 and "0594-111111" in exported.out
    assert nd.cli("person", "show", card, "--as", "1", env=VOLUNTEER).code == 0
    # Erasing cannot be undone: the coordinator's, not a volunteer's.
    assert nd.cli("privacy", "erase", "--card", card, "--yes", "--as", "1", env=VOLUNTEER).code == 1
    withdrawn = nd.cli("withdraw", ref, "--as", "1", env=VOLUNTEER)
    assert withdrawn.code == 0, withdrawn.err
    bundle = nd.data_dir.parent / "out.bundle"
    assert nd.cli("bundle", "export", str(bundle), "--as", "1", env=VOLUNTEER).code == 0
    with nd.open() as node:
        coordinator = accounts.login_coordinator(node.store, PASSPHRASE, now=utcnow())
        lines = [(r.actor, r.act, r.subject) for r in audit.read(node.store, coordinator, now=utcnow())]
    assert ("volunteer:1", "privacy_export", card) in lines
    assert ("volunteer:1", "person_view", card) in lines
    assert ("volunteer:1", "withdraw", ref) in lines
    assert ("volunteer:1", "bundle_export", "out.bundle") in lines


def test_a_bare_node_without_staff_logs_the_key_file(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    made = nd.cli("post", "request", "--category", "tuin", "--title", "Gras maaien", "--contact", "06-12345678")
    ref = re.findall(r"BH-\w{4}", made.out)[0]
    assert nd.cli("withdraw", ref).code == 0
    with nd.open() as node, node.store.read() as conn:
        assert conn.execute("SELECT actor, act, subject FROM desk_audit").fetchall() == [("keyfile", "withdraw", ref)]
