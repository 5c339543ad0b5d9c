// Public face of the graph layer: building a device's provenance graph and walking it.
export { buildDeviceGraph, type GraphInput } from './build-device-graph';
export { parentOf, childrenOf, connectionsOf, ancestorsOf } from './traverse';
export { descendantsOf, type Bounded } from './descendants';
export { serviceGroupOf, clsidOf, directionOf, canonicalIp, isLocalPeer, clockOf, type Clock } from './derive-attributes';
export type { DeviceGraph, ProcessNode, ConnectionNode, NodeAttributes, EdgeAttributes, GraphAttributes, ConnectionDirection } from './types';
export { graphToDto } from './graph-to-dto';
