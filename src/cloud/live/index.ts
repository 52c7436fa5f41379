export { collectAwsDocuments, type AwsBundle, type CollectAwsOptions, type CollectAwsResult } from './collect.js';
