"""The native API's description, served by `tariff serve`: `GET /openapi.json` (OpenAPI 3.1),
`GET /openapi.yaml` (the same document), `GET /docs` (a reference page that works offline); and
the proof that the document describes the server:

- every documented operation is routed (no 404 from the router);
- a client generated from the served document with `openapi-python-client` prices a number,
  posts a usage record and finds it among the account's transactions;
- schemathesis (its CLI, as a subprocess) runs every operation, positive and negative cases,
  with the checks `not_a_server_error` and `response_schema_conformance`: no failure.

Everything runs against the `api` server of run.sh, on a database of its own: schemathesis may
post, rent and adjust anything there (it has the `api` account's key and an operator token), so
the generated client's test, which uses the other account (`client`), runs before it.

Environment: TARIFF_SCHEMATHESIS_MAX_EXAMPLES (default 100: about 45 s on 2 cores) and
TARIFF_SCHEMATHESIS_SEED (default a fixed seed, so that a run is repeatable; `random` for a new one
each time).
"""

from __future__ import annotations

import datetime
import enum
import importlib
import inspect
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import typing
import uuid
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
import yaml

GB_FIXED = "+442071234567"  # fixtures/deck.csv: GB fixed voice, 0.015 EUR a minute, 60/60
MAX_EXAMPLES = int(os.environ.get("TARIFF_SCHEMATHESIS_MAX_EXAMPLES", "100"))
SEED = os.environ.get("TARIFF_SCHEMATHESIS_SEED", "20261202")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# --- the documents --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api(config) -> dict:
    return config.api


def unique_keys(pairs):
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"keys written twice in one object of /openapi.json: {duplicates}"
    return dict(pairs)


@pytest.fixture(scope="module")
def served(http, api) -> tuple[bytes, dict]:
    response = http.get(api["url"] + "/openapi.json", timeout=10)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    media = response.headers.get("Content-Type", "").split(";")[0].strip()
    assert media == "application/json", response.headers.get("Content-Type")
    return response.content, json.loads(response.content, object_pairs_hook=unique_keys)


@pytest.fixture(scope="module")
def document(served) -> dict:
    return served[1]


@pytest.fixture(scope="module")
def document_file(served, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_bytes(served[0])
    return path


def operations(document: dict):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_openapi_json_is_openapi_3_1(document):
    assert isinstance(document.get("openapi"), str) and re.fullmatch(r"3\.1\.\d+", document["openapi"]), document.get("openapi")
    assert document["info"]["title"] and document["info"]["version"], document["info"]
    assert document["paths"], "no paths"
    assert all(path.startswith("/") for path in document["paths"]), list(document["paths"])
    # The operations the client test below uses are there.
    described = {(path, method) for path, method, _ in operations(document)}
    for wanted in [("/v1/prices/{product}", "get"), ("/v1/usage", "post"), ("/v1/transactions", "get")]:
        assert wanted in described, f"{wanted} is not described"
    ids = [op.get("operationId") for _, _, op in operations(document)]
    assert all(ids), "every operation has an operationId"
    assert len(ids) == len(set(ids)), f"operationIds used twice: {sorted({i for i in ids if ids.count(i) > 1})}"


def strictly_equal(a, b, where: str = "$") -> None:
    """Equal values of equal types (True is not 1, 1 is not 1.0), objects' keys in the same order."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} {a!r} in the JSON, {type(b).__name__} {b!r} in the YAML"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{where}: keys {list(a)} in the JSON, {list(b)} in the YAML"
        for key in a:
            strictly_equal(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{where}: {len(a)} items in the JSON, {len(b)} in the YAML"
        for index, (x, y) in enumerate(zip(a, b)):
            strictly_equal(x, y, f"{where}[{index}]")
    else:
        assert a == b, f"{where}: {a!r} in the JSON, {b!r} in the YAML"


def test_openapi_yaml_is_the_same_document(http, api, document):
    response = http.get(api["url"] + "/openapi.yaml", timeout=10)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    media = response.headers.get("Content-Type", "").split(";")[0].strip()
    assert media in ("application/yaml", "application/x-yaml", "text/yaml"), response.headers.get("Content-Type")
    loaded = yaml.safe_load(response.content)
    assert loaded == document
    assert list(loaded["paths"]) == list(document["paths"]), "paths in another order"
    strictly_equal(document, loaded)


class References(HTMLParser):
    """Every URL the page would load by itself: scripts, styles, fonts, images, frames."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.tags: set[str] = set()
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attributes = dict(attrs)
        for name in ("src", "srcset", "data", "poster"):
            if attributes.get(name):
                self.urls.append((f"<{tag} {name}>", attributes[name]))
        if tag == "link" and attributes.get("href"):
            self.urls.append((f"<link rel={attributes.get('rel')}>", attributes["href"]))
        if attributes.get("style"):
            self.styles.append(attributes["style"])
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.styles.append(data)
        elif self._in == "script":
            self.scripts.append(data)


EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def test_docs_is_an_offline_html_page(http, api):
    response = http.get(api["url"] + "/docs", timeout=10)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    media = response.headers.get("Content-Type", "").split(";")[0].strip()
    assert media == "text/html", response.headers.get("Content-Type")
    page = References()
    page.feed(response.text)
    page.close()
    assert {"html", "body"} <= page.tags, "not an HTML page"
    external = [(where, url) for where, url in page.urls if EXTERNAL.match(url)]
    assert not external, f"/docs loads from elsewhere: {external}"
    for css in page.styles:
        for url in re.findall(r"""url\(\s*['"]?([^'")\s]+)""", css) + re.findall(r"""@import\s+['"]([^'"]+)""", css):
            assert not EXTERNAL.match(url), f"/docs' CSS loads {url}"
    for script in page.scripts:
        loads = re.findall(r"""(?:fetch|import|importScripts)\s*\(\s*['"`]((?:https?:)?//[^'"`]+)""", script)
        loads += re.findall(r"""\bimport\s[^;]*?\bfrom\s*['"]((?:https?:)?//[^'"]+)""", script)
        assert not loads, f"/docs' script loads {loads}"
    # It reads the document this server serves.
    assert "openapi.json" in response.text


def test_every_documented_operation_is_routed(http, api, document):
    """Each operation, sent without credentials: the router knows it (no 404, no 405)."""
    misses = []
    for path, method, operation in operations(document):
        url = api["url"] + re.sub(r"\{[^}]+\}", lambda m: "voice" if m.group(0) == "{product}" else "1", path)
        body = {"json": {}} if "requestBody" in operation else {}
        response = http.request(method.upper(), url, timeout=10, **body)
        if response.status_code in (404, 405):
            misses.append(f"{method.upper()} {path}: {response.status_code} {response.text[:120]!r}")
    assert not misses, "documented but not routed:\n" + "\n".join(misses)


# --- a generated client ---------------------------------------------------------------------------

#: Media types openapi-python-client 0.29 does not generate code for: it leaves those bodies out
#: with a warning, and says so. It does generate JSON, octet-stream and multipart bodies, so the
#: deck upload, described as text/csv and as octet-stream, is in the client. Any other warning
#: fails the test.
GENERATOR_UNSUPPORTED = ("application/yaml", "application/x-ndjson", "text/csv")


def generator_warnings(output: str) -> list[tuple[str, str]]:
    """(operation, message) of each `WARNING parsing METHOD PATH within TAG.` block."""
    found = []
    blocks = re.split(r"^WARNING ", output, flags=re.MULTILINE)[1:]
    for block in blocks:
        head, _, rest = block.partition("\n")
        message = rest.strip().split("\n\n")[0]
        found.append((head.strip(), message))
    return found


def tool(name: str) -> str:
    """A console script of this venv (pytest runs with its Python, not always with its bin on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed (conformance/requirements.txt)"
    return found


@pytest.fixture(scope="module")
def generated(document_file, tmp_path_factory):
    """The package openapi-python-client generates from the served document, imported."""
    root = tmp_path_factory.mktemp("client")
    settings = root / "openapi-python-client.yaml"
    settings.write_text("project_name_override: tariff-client\npackage_name_override: tariff_client\npost_hooks: []\n")
    package = root / "tariff_client"
    run = subprocess.run(
        [tool("openapi-python-client"), "generate", "--path", str(document_file), "--output-path", str(package),
         "--meta", "none", "--config", str(settings)],
        capture_output=True, text=True, timeout=300, cwd=root,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"openapi-python-client failed ({run.returncode}):\n{output}"
    assert (package / "__init__.py").exists(), output
    unexpected = [
        (operation, message) for operation, message in generator_warnings(output)
        if not re.fullmatch(r"(Cannot parse response .*\(Unsupported content_type|Unsupported content type) ("
                            + "|".join(map(re.escape, GENERATOR_UNSUPPORTED)) + r")\)?.*", message, flags=re.DOTALL)
    ]
    assert not unexpected, "openapi-python-client could not handle:\n" + "\n".join(f"{o}: {m}" for o, m in unexpected) + "\n\n" + output
    if "Warning" in output and not generator_warnings(output):
        pytest.fail(f"openapi-python-client warned in a form this test does not read:\n{output}")
    sys.path.insert(0, str(root))
    try:
        for name in [m for m in sys.modules if m == "tariff_client" or m.startswith("tariff_client.")]:
            del sys.modules[name]
        module = importlib.import_module("tariff_client")
        yield module, package
    finally:
        sys.path.remove(str(root))


def endpoint(package: Path, method: str, url: str):
    """The generated module for `method url` (`url` as the document writes it)."""
    prefix = re.escape(url.split("{")[0])
    exact = r'"url": "' + prefix + (r'\{' if "{" in url else '"')
    found = []
    for source in sorted((package / "api").rglob("*.py")):
        text = source.read_text()
        if f'"method": "{method}"' in text and re.search(exact, text):
            found.append(source)
    assert len(found) == 1, f"modules for {method.upper()} {url}: {found}"
    relative = found[0].relative_to(package.parent).with_suffix("")
    return importlib.import_module(".".join(relative.parts))


def coerce(function, name: str, value):
    """`value` as the generated function takes its parameter `name`: an enum member, a model, an int."""
    hint = inspect.signature(function).parameters[name].annotation
    candidates = typing.get_args(hint) or (hint,)
    for kind in candidates:
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return kind(value)
        if isinstance(kind, type) and hasattr(kind, "from_dict") and isinstance(value, dict):
            return kind.from_dict(value)
    if int in candidates and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def call(module, client, **arguments):
    function = module.sync_detailed
    return function(client=client, **{name: coerce(function, name, value) for name, value in arguments.items()})


def parsed(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response.parsed is not None and hasattr(response.parsed, "to_dict"), (
        f"the generated client did not parse the {status} body: {response.parsed!r} {response.content[:300]!r}")
    return response.parsed.to_dict()


def test_a_generated_client_prices_charges_and_lists(generated, api, http):
    package_module, package = generated
    account = api["client"]
    client = package_module.Client(
        base_url=api["url"],
        verify_ssl=ssl.create_default_context(cafile=os.environ["REQUESTS_CA_BUNDLE"]),
        httpx_args={"auth": (account["key"], account["secret"])},
        raise_on_unexpected_status=True,
    )
    balance_before = Decimal(http.get(api["url"] + "/v1/balance", auth=(account["key"], account["secret"]), timeout=10)
                             .json()["balance"])

    # GET /v1/prices/{product}: 60 s to a GB fixed number.
    price = parsed(call(endpoint(package, "get", "/v1/prices/{product}"), client, product="voice", to=GB_FIXED, seconds="60"), 200)
    assert price["number"] == GB_FIXED and price["country"] == "GB", price
    assert Decimal(price["price"]) == Decimal("0.015") and price["currency"] == "EUR", price
    assert Decimal(price["cost"]["total"]) == Decimal("0.015") and price["cost"]["currency"] == "EUR", price["cost"]
    assert price["converted"]["currency"] == "EUR" and Decimal(price["converted"]["total"]) == Decimal("0.015"), price["converted"]

    # POST /v1/usage: the same call, charged.
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    record = {"id": f"client-{uuid.uuid4()}", "product": "voice", "to": GB_FIXED, "seconds": 60,
              "occurred_at": (now - datetime.timedelta(minutes=1)).isoformat().replace("+00:00", "Z")}
    charged = parsed(call(endpoint(package, "post", "/v1/usage"), client, body=record), 201)
    assert charged["type"] == "resource_charge" and charged["currency"] == "EUR", charged
    assert Decimal(charged["amount"]) == Decimal("-0.015"), charged
    assert charged["reference"] == record["id"], charged
    assert Decimal(charged["balance_after"]) == balance_before - Decimal("0.015"), (balance_before, charged)

    # GET /v1/transactions: the charge is there, and the top-up before it.
    page = parsed(call(endpoint(package, "get", "/v1/transactions"), client), 200)
    listed = {entry["id"]: entry for entry in page["transactions"]}
    assert charged["id"] in listed, page
    assert listed[charged["id"]]["reference"] == record["id"]
    assert Decimal(listed[charged["id"]]["amount"]) == Decimal("-0.015")
    assert page["total_count"] == len(page["transactions"]), page
    assert any(entry["type"] == "card_payment" and Decimal(entry["amount"]) == 100 for entry in page["transactions"]), page


# --- schemathesis -----------------------------------------------------------------------------------

def schemathesis_auth(document: dict, api: dict) -> str:
    """A schemathesis.toml giving each security scheme of the document its credential."""
    lines = []
    for name, scheme in document.get("components", {}).get("securitySchemes", {}).items():
        kind = (scheme.get("type"), str(scheme.get("scheme", "")).lower())
        if kind == ("http", "basic"):
            lines += [f"[auth.openapi.{json.dumps(name)}]", f"username = {json.dumps(api['key'])}",
                      f"password = {json.dumps(api['secret'])}"]
        elif kind == ("http", "bearer"):
            lines += [f"[auth.openapi.{json.dumps(name)}]", f"bearer = {json.dumps(api['operator_token'])}"]
        else:
            pytest.fail(f"security scheme {name!r} is neither HTTP Basic nor Bearer: {scheme}")
    assert lines, "the document declares no security scheme"
    return "\n".join(lines) + "\n"


# The operations that can lock the test account out (closing it, deleting or rotating its key):
# run after everything else, or every account operation after them would get only 401s.
LOCKOUT = r"^/v1/admin/accounts/\{id\}/(close|keys/\{api_key\}(/rotate)?)$"


def run_schemathesis(document_file, api, tmp_path, name: str, selection: list[str]) -> str:
    command = [
        tool("schemathesis"), "--config-file", str(tmp_path / "schemathesis.toml"), "run", str(document_file),
        "--url", api["url"],
        "--tls-verify", os.environ["REQUESTS_CA_BUNDLE"],
        "--checks", "not_a_server_error,response_schema_conformance",
        "--mode", "all",
        "--max-examples", str(MAX_EXAMPLES),
        # One worker: with two, Hypothesis calls ast.parse from two threads, which CPython 3.11
        # does not survive ("AST constructor recursion depth mismatch", 1 run in 3).
        "--workers", "1",
        "--request-timeout", "10",
        "--generation-database", "none",
        "--no-color",
        *selection,
    ]
    if SEED != "random":
        command += ["--seed", SEED]
    # schemathesis_hooks.py teaches it to send NDJSON bodies.
    hooks = {"SCHEMATHESIS_HOOKS": "schemathesis_hooks",
             "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path, env=os.environ | hooks)
    output = run.stdout + run.stderr
    (tmp_path / f"schemathesis-{name}.log").write_text(output)
    assert run.returncode == 0, f"schemathesis exited with {run.returncode}: {' '.join(command)}\n{output[-20000:]}"
    return output


def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(document, document_file, api, tmp_path):
    (tmp_path / "schemathesis.toml").write_text(schemathesis_auth(document, api))
    output = run_schemathesis(document_file, api, tmp_path, "all", ["--exclude-path-regex", LOCKOUT])
    # Every account operation must have been reached with the account's key: a run where they
    # all got 401 (the account closed under it) tests nothing behind the authentication.
    assert "Authentication failed" not in output, output[-20000:]
    print(output[-3000:])
    print(run_schemathesis(document_file, api, tmp_path, "lockout", ["--include-path-regex", LOCKOUT])[-2000:])
