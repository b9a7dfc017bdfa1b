export { findAssets, isAlive } from './control-plane';
export { rehearseLive } from './live-rehearsal';
export type { LiveResult, LiveTimings } from './live-rehearsal';
export { crossCheck, offlineRuleFor } from './cross-check';
