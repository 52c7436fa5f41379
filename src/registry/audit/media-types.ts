/**
 * Media types that tell what a manifest in a registry holds. Sources (checked 2026-11-29):
 * - OCI image-spec v1.1 manifest.md "Guidelines for artifact usage" / "Guidance for an empty descriptor";
 * - Helm HIP-0017 and the IANA registrations of application/vnd.cncf.helm.*;
 * - cosign spec (SIGNATURE_SPEC.md, ATTESTATION_SPEC.md): simplesigning layers, DSSE envelopes, `sha256-<hex>.sig|.att|.sbom` tags;
 * - Notary Project signature specification: config or artifactType application/vnd.cncf.notary.signature;
 * - CNCF TAG Runtime Wasm OCI artifact layout (application/vnd.wasm.config.v0+json, application/wasm) and the
 *   older wasm-to-oci / solo.io types;
 * - cnab-to-oci (application/vnd.cnab.* config types, io.cnab.* annotations on the index);
 * - Red Hat Quay's list of recognised artifact types (SPDX, CycloneDX, Syft, in-toto layer types).
 */
export const ARTIFACT_MEDIA = {
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  /** The type the OCI artifacts repository listed before Helm 3.8 settled on helmConfig. */
  helmConfigLegacy: 'application/vnd.cncf.helm.chart.config.v1+json',
  helmChartContent: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  helmProvenance: 'application/vnd.cncf.helm.chart.provenance.v1.prov',
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  notarySignature: 'application/vnd.cncf.notary.signature',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
  inToto: 'application/vnd.in-toto+json',
  wasmConfig: 'application/vnd.wasm.config.v0+json',
  wasmLayer: 'application/wasm',
  cnabManifest: 'application/vnd.cnab.manifest.v1',
  cnabConfig: 'application/vnd.cnab.config.v1+json',
} as const;

/** Signature types: cosign simple signing, Notary Project, Sigstore bundles (cosign v3 `--new-bundle-format`). */
export const SIGNATURE_TYPE = /^application\/(vnd\.dev\.cosign\.simplesigning\.v1\+json|vnd\.cncf\.notary\.(signature|v2)|vnd\.dev\.sigstore\.bundle(\.v[\d.]+)?\+json(;.*)?)$/;

/** Attestation types: in-toto statements, DSSE envelopes, cosign's attestation artifactType. */
export const ATTESTATION_TYPE = /^application\/(vnd\.in-toto(\.[\w.-]+)?\+json|vnd\.dsse\.envelope\.v1\+json|vnd\.dev\.cosign\.attestation\.v1\+json)$/;

/** SBOM types: SPDX (tag-value, JSON, XML), CycloneDX (JSON, XML, protobuf), Syft's own JSON. */
export const SBOM_TYPE =
  /^(text\/spdx(\+json|\+xml)?|application\/spdx(\+json|\+xml)?|application\/vnd\.cyclonedx(\+json|\+xml|\+protobuf)?|application\/vnd\.syft\+json|application\/vnd\.spdx(\+json)?)$/;

/** Wasm: CNCF config and layer, wasm-to-oci, solo.io "module.wasm", runwasi's w3c types. */
export const WASM_TYPE =
  /^application\/(vnd\.wasm\.[\w.-]+(\+json|\+wasm)|wasm|vnd\.module\.wasm\.[\w.-]+(\+json|\+wasm)?|vnd\.w3c\.wasm\.[\w.-]+(\+wasm)?)$/;

export const HELM_TYPE = /^application\/vnd\.cncf\.helm\.[\w.+-]+$/;

export const CNAB_TYPE = /^application\/vnd\.cnab\.[\w.+-]+$/;
