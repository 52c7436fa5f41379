export { RegistryApi, MAX_CATALOG_PAGE_BYTES, MAX_BLOB_JSON_BYTES } from './api.js';
export { FULL_MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, MEDIA_OCI_ARTIFACT } from './manifest.js';
export { nextLink } from './http.js';
export { referrersTag } from './names.js';
export { Semaphore } from './semaphore.js';
export { backoffMs, isConnectionReset, isRetryableStatus, retryAfterMs, retryPolicy, type RetryOptions, type RetryPolicy } from './retry.js';
export type { AuthScheme, BlobJson, ManifestInfo, ManifestKind, PingResult, ReferrersResult, RegistryApiOptions } from './types.js';
