"""The node's self-signed TLS certificate and its fingerprint (what peers pin)."""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CERT_YEARS = 20


def make_certificate(common_name: str, now: dt.datetime) -> tuple[bytes, bytes]:
    """Return (certificate DER, PKCS#8 private key DER) for a new self-signed certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.DER), key_der


def certificate_fingerprint(cert_der: bytes) -> bytes:
    """SHA-256 of the DER certificate, the value aiohttp's ``Fingerprint`` pins."""
    return hashlib.sha256(cert_der).digest()


def certificate_pem(cert_der: bytes) -> bytes:
    """PEM text of a DER certificate."""
    cert = x509.load_der_x509_certificate(cert_der)
    return cert.public_bytes(serialization.Encoding.PEM)


def private_key_pem(key_der: bytes, password: bytes) -> bytes:
    """PEM of the private key, encrypted with password (for ssl.load_cert_chain)."""
    key = serialization.load_der_private_key(key_der, password=None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )
