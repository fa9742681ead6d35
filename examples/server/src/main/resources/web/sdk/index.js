// cskit web SDK: import this module to define <mb-room>, <mb-publisher> and <mb-subscriber>.
export { MbRoom, defaultWsUrl } from './mb-room.js';
export { MbPublisher } from './mb-publisher.js';
export { MbSubscriber } from './mb-subscriber.js';
export { CsApi, ApiError } from './api.js';
export { negotiate, deleteResource, waitForIceGathering, WhipError, fetchIceConfig, parseIceServerLinks } from './whip.js';
export { IceRestarter, restartIce, iceFragment, withIceCredentials } from './ice.js';
