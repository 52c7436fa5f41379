import { PackageURL } from 'packageurl-js';

/** PEP 503 normalized project name: lower case, every run of "-", "_" and "." made one "-". */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The purl spec's pypi type: the name is PEP 503 normalized, the version kept as written. */
export function pypiPurl(name: string, version: string): string {
  return new PackageURL('pypi', undefined, normalizeName(name), version, undefined, undefined).toString();
}

/** A project name as PEP 508 allows it. */
export const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
