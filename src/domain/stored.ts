// Events as read back from the store: the normalised event plus its row id (columnsText is not loaded).
import type { NetworkEvent, ProcessEvent } from './events';

export type StoredProcessEvent = ProcessEvent & { id: number };
export type StoredNetworkEvent = NetworkEvent & { id: number };
export type StoredEvent = StoredProcessEvent | StoredNetworkEvent;

/** A device as the store knows it. */
export interface DeviceRecord {
  /** The store's row id of the device. */
  row: number;
  deviceId: string;
  deviceName: string;
}
