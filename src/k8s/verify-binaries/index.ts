export { MAX_CHECKSUM_FILE_BYTES, VerifyBinariesError, parseChecksums, readChecksums, type DigestAlgorithm, type ExpectedDigest } from './checksums.js';
export { KUBERNETES_BINARIES, verifyBinaries, type BinaryResult, type BinaryStatus, type VerifyReport } from './verify.js';
export { BINARY_RULES, binariesPack, binaryFinding, binaryRules, verifyFindings } from './rules.js';
