// Public face of the simulator: synthetic MDE telemetry with labelled attacks and near misses, and the writers of
// every ingestible format.
export { rowWriter, formatRows, WRITER_FORMATS, type WriterFormat, type MdeRow, type RowWriter, type RowWriterOptions } from './row-writer';
export { writeSimulation, type SimulationSummary } from './write-simulation';
export { simulateFleet, type SimulationOptions } from './simulate-fleet';
export { SCENARIOS, ATTACK_KINDS, NEAR_MISS_KINDS, type Scenario } from './scenarios';
export type { Truth, TruthItem, TruthProcess } from './truth';
export type { TimedRow } from './device-sim';
export { DeviceSim, type SimProcess, type DeviceIdentity } from './device-sim';
export { bootDevice, type DeviceRole } from './background';
export { plantChain, type DeviceHosts, type ChainSpec } from './plant-chain';
export { truthItem } from './fleet-truth';
export { createRng } from './prng';
export { userAccount } from './accounts';
