"""The signing service: PAdES B-B signatures per signatory, in the order of the seed's signature
block, each an incremental update over the frozen bytes (see README, "Signing").

* ``base`` — the ``Signer`` interface (and ``SignatoryInfo``);
* ``pkcs12`` — ``Pkcs12Signer`` (pyHanko) and opening a PKCS#12;
* ``verify`` — ``verify_pdf(data, trust_roots) -> VerificationReport``;
* ``trust`` — the configured trust roots, the offline validation context;
* ``ca`` — the demo certification authority (root, per-person certificates, ``trust-root.pem``);
* ``roles`` / ``blocks`` — who may sign a slot; the seed's signature blocks per annex;
* ``hooks`` — what the module that froze a document does after each signature;
* ``services`` — freeze, sign, verify; credentials upload and issue;
* ``selectors`` — reads the pages share.

Import the submodules directly; this package imports nothing so that models can use its errors.
"""
