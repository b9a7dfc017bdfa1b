/**
 * The only module that imports `cdk8s` and the Kubernetes L1 bindings directly. The bindings are the
 * `k8s` namespace that cdk8s-plus-28 exports, imported by deep path to skip loading the L2 library.
 */
export { App as ManifestApp, Chart, ApiObject, JsonPatch, Lazy } from 'cdk8s';
export * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
