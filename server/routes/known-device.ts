// A deviceId a request names must be one the store holds: an unknown one (a typo, another tenant's id) is a 404
// naming the parameter, not an empty answer that reads as "nothing happened on that device".
import { NotFound } from '../../src/domain';
import { hasDevice, type Store } from '../../src/store';

export function requireKnownDevice(db: Store, deviceId: string | undefined, where: string): void {
  if (deviceId !== undefined && !hasDevice(db, deviceId)) {
    throw new NotFound(`${where}: no device ${deviceId}`, { parameter: 'deviceId' });
  }
}
