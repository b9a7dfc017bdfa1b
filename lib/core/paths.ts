import * as path from 'path';

/** The repository (this file runs as build/lib/core/paths.js). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The compiled tree (build/), where generated modules such as the CRD validators sit. */
export const BUILD_ROOT = path.resolve(__dirname, '..', '..');
