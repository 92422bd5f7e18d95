#!/usr/bin/env python3
"""revokepki.py DIR PORT: a test PKI for revocation, made with the openssl
CLI. PORT is where tests/lib/httpsrv.py DIR already listens on 127.0.0.1
(start it first: it prints PORT), so the URLs in the leaves point at it.

Writes into DIR (DER unless said; keys are unencrypted EC P-256):
  root.pem root.der              self-signed root
  ca.pem ca.key ca.der           intermediate under root: issues the leaves,
                                 signs OCSP responses and the CRL (the
                                 layout httpsrv.py's /ocsp responder wants)
  index.txt                      openssl ca database: 1001 good,
                                 1002 revoked (keyCompromise, 2024-01-02)
  crl.der                        CRL by ca, lists 1002
  NAME.der for the leaves:
    good       serial 1001, OCSP /ocsp, CRL /cl/crl.der
    revoked    serial 1002, OCSP /ocsp, CRL /cl/crl.der
    crlonly    serial 1002, CRL /cl/crl.der only
    crlgood    serial 1001, CRL /cl/crl.der only
    silent     serial 1002, OCSP and CRL at /silent (never answers)
    huge       serial 1002, OCSP at /huge, CRL at /hugecl
    refused    serial 1002, OCSP and CRL on port 9 of 127.0.0.2... no:
               on 127.0.0.1 port REFUSED_PORT (argv[3], nothing listens)
  staple-good.der staple-revoked.der  OCSP responses for good / revoked,
                                 signed by ca, no nonce (as a server staples)
  staple-rogue.der               says 1001 revoked, signed by a rogue key
  rogue-crl.pem                  a PEM CRL by the rogue key (same issuer
                                 name as ca), listing 1001
"""
import os
import subprocess
import sys


def run(*args, stdin=None):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, input=stdin, timeout=30)


def main():
    d, port = sys.argv[1], int(sys.argv[2])
    refused = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    os.chdir(d)
    base = "http://127.0.0.1:%d" % port

    def key(name):
        run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-out", name + ".key")

    def der(name):
        run("openssl", "x509", "-in", name + ".pem", "-outform", "DER",
            "-out", name + ".der")

    with open("ext.cnf", "w") as f:
        f.write("[ca]\nbasicConstraints=critical,CA:TRUE\n"
                "keyUsage=critical,keyCertSign,cRLSign,digitalSignature\n"
                "subjectKeyIdentifier=hash\n"
                "authorityKeyIdentifier=keyid\n")
    key("root")
    run("openssl", "req", "-new", "-x509", "-key", "root.key", "-subj",
        "/CN=Revoke Test Root", "-days", "3650", "-out", "root.pem",
        "-extensions", "ca", "-config", "ext.cnf")
    key("ca")
    run("openssl", "req", "-new", "-key", "ca.key", "-subj",
        "/CN=Revoke Test CA", "-out", "ca.csr")
    run("openssl", "x509", "-req", "-in", "ca.csr", "-CA", "root.pem",
        "-CAkey", "root.key", "-set_serial", "77", "-days", "3650",
        "-extfile", "ext.cnf", "-extensions", "ca", "-out", "ca.pem")
    der("root")
    der("ca")
    key("leaf")

    leaves = {
        "good": (0x1001, base + "/ocsp", base + "/cl/crl.der"),
        "revoked": (0x1002, base + "/ocsp", base + "/cl/crl.der"),
        "crlonly": (0x1002, None, base + "/cl/crl.der"),
        "crlgood": (0x1001, None, base + "/cl/crl.der"),
        "silent": (0x1002, base + "/silent", base + "/silent"),
        "huge": (0x1002, base + "/huge", base + "/hugecl"),
        "refused": (0x1002, "http://127.0.0.1:%d/ocsp" % refused,
                    "http://127.0.0.1:%d/crl" % refused),
    }
    for name, (serial, ocsp, crl) in leaves.items():
        ext = "[leaf]\nbasicConstraints=CA:FALSE\n" \
              "subjectAltName=DNS:%s.test\n" % name
        if ocsp:
            ext += "authorityInfoAccess=OCSP;URI:%s\n" % ocsp
        if crl:
            ext += "crlDistributionPoints=URI:%s\n" % crl
        with open(name + ".cnf", "w") as f:
            f.write(ext)
        run("openssl", "req", "-new", "-key", "leaf.key", "-subj",
            "/CN=%s.test" % name, "-out", name + ".csr")
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem",
            "-CAkey", "ca.key", "-set_serial", str(serial), "-days", "365",
            "-extfile", name + ".cnf", "-extensions", "leaf",
            "-out", name + ".pem")
        der(name)

    with open("index.txt", "w") as f:
        f.write("V\t391231000000Z\t\t1001\tunknown\t/CN=good.test\n")
        f.write("R\t391231000000Z\t240102030405Z,keyCompromise\t1002\t"
                "unknown\t/CN=revoked.test\n")
    with open("index.txt.attr", "w") as f:
        f.write("unique_subject = no\n")
    with open("crlnumber", "w") as f:
        f.write("01\n")
    with open("ca.cnf", "w") as f:
        f.write("[ca]\ndefault_ca=c\n[c]\ndatabase=index.txt\n"
                "crlnumber=crlnumber\ndefault_md=sha256\n"
                "default_crl_days=30\n")
    run("openssl", "ca", "-batch", "-config", "ca.cnf", "-gencrl",
        "-keyfile", "ca.key", "-cert", "ca.pem", "-out", "crl.pem")
    run("openssl", "crl", "-in", "crl.pem", "-outform", "DER",
        "-out", "crl.der")

    def staple(leaf, out, signer="ca", index="index.txt"):
        run("openssl", "ocsp", "-issuer", "ca.pem", "-cert", leaf + ".pem",
            "-no_nonce", "-reqout", out + ".req")
        run("openssl", "ocsp", "-index", index, "-rsigner", signer + ".pem",
            "-rkey", signer + ".key", "-CA", "ca.pem", "-reqin",
            out + ".req", "-respout", out, "-ndays", "1")

    staple("good", "staple-good.der")
    staple("revoked", "staple-revoked.der")
    key("rogue")
    run("openssl", "req", "-new", "-x509", "-key", "rogue.key", "-subj",
        "/CN=Revoke Test CA", "-days", "3650", "-out", "rogue.pem")
    with open("rogue-index.txt", "w") as f:
        f.write("R\t391231000000Z\t240102030405Z,keyCompromise\t1001\t"
                "unknown\t/CN=good.test\n")
    staple("good", "staple-rogue.der", "rogue", "rogue-index.txt")
    with open("rogue-crlnumber", "w") as f:
        f.write("01\n")
    with open("rogue.cnf", "w") as f:
        f.write("[ca]\ndefault_ca=c\n[c]\ndatabase=rogue-index.txt\n"
                "crlnumber=rogue-crlnumber\ndefault_md=sha256\n"
                "default_crl_days=30\n")
    run("openssl", "ca", "-batch", "-config", "rogue.cnf", "-gencrl",
        "-keyfile", "rogue.key", "-cert", "rogue.pem", "-out",
        "rogue-crl.pem")


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as e:
        sys.stderr.write("%s: %s\n" % (" ".join(e.cmd), e.stderr.decode()))
        sys.exit(1)
