"""An NCALayer simulator and Kazakh-layout test certificates for the signing tests.

``kazakh_certificate`` issues, from a test CA, a certificate with the subject layout of the
national CA (НУЦ РК): CN "SURNAME GIVEN", SURNAME, GIVENNAME (patronymic), SERIALNUMBER
``IIN<12 digits>``, C=KZ, and for an organisation's employee O and OU ``BIN<12 digits>``; a
SIGN key (digitalSignature + nonRepudiation) or an AUTH key (digitalSignature + keyEncipherment).

``NCALayerSimulator`` is a small TLS websocket server on 127.0.0.1:13579 (a thread with its own
event loop) speaking the protocol of the real application as ``ncalayer-js-client`` uses it: the
greeting ``{"result": {"version": …}}``, ``kz.digiflow.mobile.extensions/getVersion`` refused (it
is not KAZTOKEN), and ``kz.gov.pki.knca.basics/sign`` with ``format: "cms"``: data in base64 (one
string, or a list — one key choice and one PIN for the whole list), answered with detached CMS in
base64 (``{"status": true, "body": {"result": [...]}}``), ``{"status": true, "body": {}}`` when
the user cancels, or ``{"status": false, "code": …}`` on an error. Tests choose what the person at
the keyboard does through ``mode`` and the key through ``key``/``certificate``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

PORT = 13579
# The national CA's policy OIDs as ncalayer-js-client names them: an individual's, an employee's.
OID_INDIVIDUAL = ObjectIdentifier("1.2.398.3.3.4.1.1")
OID_EMPLOYEE = ObjectIdentifier("1.2.398.3.3.4.1.2.5")


@dataclass(frozen=True)
class TestKey:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def kazakh_certificate(
    ca, *, iin: str, surname: str, given: str, patronymic: str = "", bin_: str = "",
    organisation: str = "", auth: bool = False, not_after: datetime | None = None,
) -> TestKey:
    """A key and a certificate in the national CA's subject layout, issued by ``ca``
    (``reporting.signing.ca.CertificationAuthority``)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    names = [
        x509.NameAttribute(NameOID.COMMON_NAME, f"{surname} {given}".upper()),
        x509.NameAttribute(NameOID.SURNAME, surname.upper()),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
    ]
    if patronymic:
        names.append(x509.NameAttribute(NameOID.GIVEN_NAME, patronymic.upper()))
    if organisation:
        names.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if bin_:
        names.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin_}"))
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(names))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=400))
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=not auth, key_encipherment=auth,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([
                ExtendedKeyUsageOID.CLIENT_AUTH if auth else ExtendedKeyUsageOID.EMAIL_PROTECTION,
                OID_EMPLOYEE if bin_ else OID_INDIVIDUAL,
            ]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.private_key.public_key()),
            critical=False,
        )
    )
    certificate = builder.sign(ca.private_key, hashes.SHA256())
    return TestKey(key=key, certificate=certificate, chain=(ca.certificate,))


def detached_cms(test_key: TestKey, data: bytes) -> bytes:
    """A detached CAdES CMS over ``data`` (DER), as NCALayer makes it with a SIGN key."""
    from asn1crypto import keys as asn1_keys
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from reporting.signing.phases import cms_for_data
    from reporting.signing.trust import as_asn1

    der = test_key.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signers.SimpleSigner(
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        signing_cert=as_asn1(test_key.certificate),
        cert_registry=SimpleCertificateStore.from_certs([as_asn1(c) for c in test_key.chain]),
    )
    return cms_for_data(signer, data, datetime.now(UTC))


def _tls_context(directory: Path) -> tuple[ssl.SSLContext, str]:
    """A self-signed certificate for 127.0.0.1 (as NCALayer's own), and its SPKI hash for
    Chromium's ``--ignore-certificate-errors-spki-list``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    import ipaddress

    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "ncalayer.pem", directory / "ncalayer.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    return context, base64.b64encode(digest.finalize()).decode("ascii")


@dataclass
class NCALayerSimulator:
    """The NCALayer application on the signer's computer, for tests.

    ``mode``: ``"sign"`` (the person picks the key and types the PIN), ``"cancel"`` (closes the
    dialog), ``"error"`` (NCALayer reports a failure), ``"other_bytes"`` (a CMS over other data:
    what a tampering page or a bug would send). ``key`` signs. ``requests`` keeps every sign
    request (one per PIN prompt); ``documents_signed`` counts the data blocks signed.
    """

    key: TestKey | None = None
    mode: str = "sign"
    version: str = "1.4"
    requests: list[dict] = field(default_factory=list)
    documents_signed: int = 0
    spki_hash: str = ""

    def start(self, directory: Path, port: int = PORT) -> NCALayerSimulator:
        import websockets.asyncio.server as ws_server

        context, self.spki_hash = _tls_context(directory)
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def main():
            self._stop = asyncio.Event()
            async with ws_server.serve(self._session, "127.0.0.1", port, ssl=context,
                                       max_size=64 * 1024 * 1024):
                ready.set()
                await self._stop.wait()

        self._thread = threading.Thread(
            target=self._loop.run_until_complete, args=(main(),), daemon=True,
            name="ncalayer-simulator",
        )
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the NCALayer simulator did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    async def _session(self, connection) -> None:
        await connection.send(json.dumps({"result": {"version": self.version}}))
        async for message in connection:
            request = json.loads(message)
            await connection.send(json.dumps(self._answer(request)))

    def _answer(self, request: dict) -> dict:
        module, method = request.get("module"), request.get("method")
        if module == "kz.gov.pki.knca.basics" and method == "sign":
            return self._sign(request.get("args") or {})
        if module == "kz.gov.pki.knca.commonUtils" and method == "getActiveTokens":
            return {"code": "200", "responseObject": []}
        return {"code": "500", "message": f"module {module} method {method} is not available"}

    def _sign(self, args: dict) -> dict:
        self.requests.append(args)
        if args.get("format") != "cms":
            return {"status": False, "code": "INVOCATION_ERROR", "message": "format",
                    "details": "only cms in the simulator"}
        if self.mode == "cancel":
            return {"status": True, "body": {}}
        if self.mode == "error" or self.key is None:
            return {"status": False, "code": "INTERNAL_ERROR",
                    "message": "Token is not available", "details": "simulated failure"}
        params = args.get("signingParams") or {}
        data = args.get("data")
        blocks = data if isinstance(data, list) else [data]
        results = []
        for block in blocks:
            raw = base64.b64decode(block) if params.get("decode", True) else block.encode()
            if self.mode == "other_bytes":
                raw = raw + b"\n% not the prepared bytes"
            cms = detached_cms(self.key, raw)
            results.append(base64.b64encode(cms).decode("ascii"))
            self.documents_signed += 1
        return {"status": True, "body": {"result": results}}
