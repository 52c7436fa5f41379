export { RegistryApi, FULL_MANIFEST_ACCEPT, MAX_CATALOG_PAGE_BYTES, MAX_MANIFEST_BYTES, MAX_BLOB_JSON_BYTES, MEDIA_OCI_ARTIFACT, nextLink, referrersTag } from './api.js';
export { Semaphore } from './semaphore.js';
export { backoffMs, isConnectionReset, isRetryableStatus, retryAfterMs, retryPolicy, type RetryOptions, type RetryPolicy } from './retry.js';
export type { AuthScheme, BlobJson, ManifestInfo, ManifestKind, PingResult, ReferrersResult, RegistryApiOptions } from './types.js';
