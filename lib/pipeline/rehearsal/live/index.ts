export { findAssets, isAlive } from './control-plane';
export { rehearseLive } from './live-rehearsal';
export type { LiveResult } from './live-rehearsal';
export { crossCheck } from './cross-check';
